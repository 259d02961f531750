/// Matches a call's arguments to parameters, for `def` functions and builtins alike, at run time
/// and in the checker before a script runs (so a misspelled keyword stops a script before a long
/// training starts rather than after).
///
/// Rules, as in Python: positional arguments fill parameters in order (a variadic parameter takes
/// all the rest); keyword arguments fill parameters by name; every required parameter must be
/// filled exactly once.
enum ArgumentMatcher {
  enum Source: Equatable {
    case positional(Int)
    case keyword(Int)
  }

  struct Match {
    var sources: [String: Source] = [:]
    var variadic: [Int] = []
    /// Keywords taken by a `**options` parameter, by index.
    var extra: [Int] = []
  }

  static func match(
    callee: String, usage: String, parameters: [ParameterSpec], positionalSpans: [SourceSpan],
    keywords: [(name: String, span: SourceSpan)], callSpan: SourceSpan, phase: DiagnosticPhase
  ) throws -> Match {
    var result = Match()
    let usageHelp = "usage: \(usage)"
    var parameterIndex = 0
    let collector = parameters.first { $0.collectsKeywords }
    let parameters = parameters.filter { !$0.collectsKeywords }
    for (position, span) in positionalSpans.enumerated() {
      guard parameterIndex < parameters.count else {
        let fixed = parameters.filter { !$0.isVariadic }.count
        let plural = fixed == 1 ? "argument" : "arguments"
        throw Diagnostic(
          .tooManyArguments,
          "\(callee)() takes \(fixed) positional \(plural) but \(positionalSpans.count) were given", at: span,
          help: usageHelp, phase: phase)
      }
      let parameter = parameters[parameterIndex]
      if parameter.isVariadic {
        result.variadic.append(position)
      } else {
        result.sources[parameter.name] = .positional(position)
        parameterIndex += 1
      }
    }
    let keywordNames = parameters.filter { !$0.isVariadic }.map(\.name)
    for (index, keyword) in keywords.enumerated() {
      if !keywordNames.contains(keyword.name), collector != nil {
        if keywords[..<index].contains(where: { $0.name == keyword.name }) {
          throw Diagnostic(
            .duplicateName, "\(callee)() got two values for '\(keyword.name)'", at: keyword.span, help: usageHelp,
            phase: phase)
        }
        result.extra.append(index)
        continue
      }
      guard keywordNames.contains(keyword.name) else {
        var message = "\(callee)() got an unexpected keyword '\(keyword.name)'"
        if let near = Suggestion.nearest(to: keyword.name, among: keywordNames) {
          message += "; did you mean '\(near)'?"
        }
        throw Diagnostic(.unknownKeyword, message, at: keyword.span, help: usageHelp, phase: phase)
      }
      if result.sources[keyword.name] != nil {
        throw Diagnostic(
          .duplicateName, "\(callee)() got two values for '\(keyword.name)'", at: keyword.span, help: usageHelp,
          phase: phase)
      }
      result.sources[keyword.name] = .keyword(index)
    }
    for parameter in parameters where parameter.isRequired && result.sources[parameter.name] == nil {
      throw Diagnostic(
        .missingArgument, "\(callee)() missing argument '\(parameter.name)'", at: callSpan, help: usageHelp,
        phase: phase)
    }
    return result
  }
}
