// swift-tools-version: 6.0
import PackageDescription

// A sanitizer's runtime cannot be linked into a static executable: scripts/test sets this for its
// ThreadSanitizer and AddressSanitizer builds, where the launcher is linked dynamically.
let sanitizerBuild = Context.environment["HIT_SANITIZER_BUILD"] != nil

let package = Package(
    name: "hit",
    products: [
        // `hit` blocks the stop signals from its first instant, then runs `hit-core`, the command itself.
        .executable(name: "hit", targets: ["HitLauncher"]),
        .executable(name: "hit-core", targets: ["HitCLI"]),
        .executable(name: "hit-target", targets: ["HitTargetServer"]),
        .library(name: "Hit", targets: ["Hit"]),
        .library(name: "HitTarget", targets: ["HitTarget"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // Typed, non-variadic wrappers over libcurl (Debian: libcurl4-openssl-dev).
        .target(
            name: "CCurlShim",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // ThreadSanitizer's lock annotations, for the standard library's Mutex (empty otherwise).
        .target(name: "CHitSanitizer"),
        // hit's version, for the library and the launcher alike.
        .target(name: "CHitVersion"),
        // zlib, for HdrHistogram's compressed encoding (Debian: zlib1g-dev).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The load-testing library: configuration, pipeline, the libcurl boundary, results,
        // reporting and verdicts, in a folder each.
        .target(
            name: "Hit",
            dependencies: [
                "CCurlShim",
                "CHitSanitizer",
                "CHitVersion",
                "CZlib",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The `hit` executable: C only, so that it starts at once; it blocks SIGINT, SIGTERM, SIGHUP
        // and SIGQUIT and runs hit-core, which catches them.
        .executableTarget(
            name: "HitLauncher",
            linkerSettings: sanitizerBuild ? [] : [.unsafeFlags(["-static-executable", "-Xlinker", "--gc-sections", "-Xlinker", "--wrap=dlopen"])]
        ),
        // Signal handling from the first statement of the process: a handler that only writes to a pipe.
        .target(name: "CHitSignals"),
        // The `hit` command: argument parsing, signal wiring, output.
        .executableTarget(
            name: "HitCLI",
            dependencies: [
                "Hit",
                "CHitSignals",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A loopback HTTP server (HTTP/1.1, h2c, TLS) with routes and counters, for tests, demos and benchmarks.
        .target(
            name: "HitTarget",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "HitTargetServer",
            dependencies: [
                "HitTarget",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // What every test target shares: the hit process launcher, target-server helpers,
        // certificates made with openssl, polling.
        .target(
            name: "HitTestSupport",
            dependencies: ["Hit", "HitTarget"]
        ),
        .testTarget(
            name: "HitTests",
            dependencies: [
                "Hit", "HitTarget", "HitTestSupport",
                // HdrHistogram's own figures, against which LatencyHistogram's are checked.
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(
            name: "HitCLITests",
            dependencies: [
                "HitCLI", "HitTargetServer", "HitTarget", "Hit", "HitTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "HitTargetTests",
            dependencies: ["HitTarget"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
