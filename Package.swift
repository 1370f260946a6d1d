// swift-tools-version:6.0
import PackageDescription

// Swift's default x86-64 baseline has no FMA/AVX; haswell is safe on any AVX2 machine and
// makes our SIMD loops (BN, eltwise, CE) vectorise. oneDNN does its own CPU dispatch.
let fast: [SwiftSetting] = [.unsafeFlags(["-O", "-target-cpu", "haswell"])]

let package = Package(
  name: "rdnas",
  platforms: [.macOS(.v14)],
  products: [.executable(name: "rdnas", targets: ["rdnas"])],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
  ],
  targets: [
    .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
    .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
    .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG"),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
    .target(name: "Common", swiftSettings: fast),
    .target(name: "Collective", dependencies: ["Common", "CMPI"]),
    .target(name: "Engine", dependencies: ["Common", "CDNNL"], swiftSettings: fast),
    .target(name: "Data", dependencies: ["Common", "CTurboJPEG", "CZlib"], swiftSettings: fast),
    .target(name: "Search", dependencies: ["Common"]),
    .target(name: "Supernet", dependencies: ["Common", "Engine", "Search"], swiftSettings: fast),
    .target(name: "Ranking", dependencies: ["Common", "Engine", "Data", "Search", "Supernet", "RunEvents"], swiftSettings: fast),
    // The run record's vocabulary (events, commands, their JSON lines): Foundation only, so readers of a run
    // folder (the monitor) need neither the engine nor oneDNN.
    .target(name: "RunEvents"),
    .target(name: "Training", dependencies: ["Common", "Collective", "Engine", "Data", "Search", "Supernet", "Ranking", "RunEvents"],
            swiftSettings: fast),
    // ONNX's schema as Swift (generated once by tools/gen_onnx_swift.sh and committed) and the subnet writer.
    .target(name: "ONNXSchema", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
    .target(name: "ONNXExport", dependencies: ["Common", "Engine", "Search", "Supernet", "ONNXSchema",
                                               .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
    .target(name: "Monitor", dependencies: ["Common", "RunEvents", "CNcurses"], swiftSettings: fast),
    .executableTarget(name: "rdnas", dependencies: [
      "Common", "Collective", "Engine", "Data", "Search", "Supernet", "Ranking", "RunEvents", "Training", "Monitor", "ONNXExport",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
    // The assertions every test target shares (XCTest helpers, linked into test targets only).
    .target(name: "RDNASTestSupport", dependencies: ["Common"], path: "Tests/TestSupport"),
    .testTarget(name: "CommonTests", dependencies: ["Common"]),
    .testTarget(name: "EngineTests", dependencies: ["Engine"]),
    .testTarget(name: "DataTests", dependencies: ["Data", "RDNASTestSupport"]),
    .testTarget(name: "SearchTests", dependencies: ["Search", "RDNASTestSupport"]),
    .testTarget(name: "RankingTests", dependencies: ["Common", "Ranking", "RunEvents", "ONNXExport", "RDNASTestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(name: "SupernetTests", dependencies: ["Supernet"]),
    .testTarget(name: "TrainingTests", dependencies: ["Training", "Collective"]),
    .testTarget(name: "RunEventsTests", dependencies: ["RunEvents"], exclude: ["Fixtures"]),
    .testTarget(name: "MonitorTests", dependencies: ["Monitor"]),
    .testTarget(name: "EndToEnd", dependencies: ["Common", "Engine", "Data", "Supernet", "Training"]),
    .testTarget(name: "ScaleOutTests", dependencies: ["Common", "Collective", "Engine", "Data", "Ranking", "Training"]),
  ]
)
