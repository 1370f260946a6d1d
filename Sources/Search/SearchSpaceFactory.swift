import Common

/// The names `makeSearchSpace` accepts, in the order the CLI lists them.
public let searchSpaceNames = ["resnet", "nb201"]

/// Builds a space from its name (as written in run folders and given on the command line), so callers
/// can hold `any SearchSpace` without a switch of their own. Each config is validated; the one not named
/// is ignored.
public func makeSearchSpace(
  name: String,
  resnet: ResNetSpace.Config = ResNetSpace.Config(),
  nb201: NB201Space.Config = NB201Space.Config()
) throws -> any SearchSpace {
  switch name.lowercased() {
  case "resnet": return try ResNetSpace(config: resnet)
  case "nb201": return try NB201Space(config: nb201)
  default:
    throw RDNASError.badInput(
      "unknown search space '\(name)' (known: \(searchSpaceNames.joined(separator: ", ")))")
  }
}
