import Foundation

/// The kernel's 64×64 logo (a white "L" on Loom blue), drawn once with gnuplot:
/// `set terminal pngcairo size 64,64 background rgb "#1f4e79"` and an "L" label in Liberation
/// Sans Bold 40. Jupyter shows it in the launcher.
enum KernelLogo {
  static let png64 =
    Data(
      base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAABmJLR0QA/wD/AP+gvaeTAAAArklEQVRoge3asQmDQBhA4RjcIxNkgowgXK1tkiWCYCG4RQbIKA5gnSUCIaUDSIpT4fHD+8qD4/7HdccVp/Q4RHakB9jKAJoBNANoBtAMoBlACx9Q5m64pkt3q5brdfscp/ceI+UJfwMG0AygGUAzgGYAzQCaATQDaAbQDKAZQDOAZgDNAFr4gOzn9X9ew33dxs/3d2761eeGvwEDaAbQCv/MwQygGUAzgGYAzQDaDBKJDcmz/0K4AAAAAElFTkSuQmCC"
    ) ?? Data()
}
