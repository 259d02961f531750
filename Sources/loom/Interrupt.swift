@preconcurrency import Glibc
import Synchronization

/// Set by the SIGINT handler, read by the interpreter between statements and by readline's
/// event hook. A signal handler may only touch lock-free state, hence one global atomic.
let interruptRequested = Atomic<Bool>(false)

enum Interrupt {
  /// Installs a SIGINT handler that only records the request. No SA_RESTART, so a blocking read
  /// in readline returns and readline calls its signal event hook.
  ///
  /// Under mpirun the ranks are not in the terminal's process group: Ctrl-C reaches mpirun,
  /// which sends every rank SIGTERM (and SIGKILL `odls_base_sigkill_timeout` seconds later), so
  /// there SIGTERM is the Ctrl-C: fit's ranks agree to stop after the same batch.
  static func install(alsoOnTerminate: Bool = false) {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in interruptRequested.store(true, ordering: .relaxed) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    let signals = alsoOnTerminate ? [SIGINT, SIGTERM] : [SIGINT]
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for signal in signals {
      sigaction(signal, &action, nil)
      // A parent may have started us with it blocked (the mask is inherited across exec).
      sigaddset(&unblock, signal)
    }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
  }

  static var isRequested: Bool { interruptRequested.load(ordering: .relaxed) }

  static func clear() { interruptRequested.store(false, ordering: .relaxed) }
}
