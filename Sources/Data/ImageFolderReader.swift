import Common
import Foundation

/// torchvision's ImageFolder layout: root/<class>/<image>. Classes are the sub-folders sorted by name (byte order, as
/// Python's `sorted`), files are sorted within a class, so label numbers and image order match a PyTorch peer.
struct ImageFolderListing {
  static let extensions: Set<String> = ["jpg", "jpeg", "png"]

  let root: String
  let classNames: [String]
  let files: [String]
  let labels: [Int32]

  /// Lists `root`. With `classNames` given (the train split's classes, when listing test/), labels follow that list so
  /// both splits agree even if a class folder is missing from one of them.
  init(root: String, classNames given: [String]? = nil) throws {
    try FileBytes.requireDirectory(root)
    let found = try Self.sortedEntries(root).filter {
      !$0.hasPrefix(".") && FileBytes.isDirectory((root as NSString).appendingPathComponent($0))
    }
    guard !found.isEmpty else {
      throw RDNASError.badFile(path: root, reason: "no class folders (expected root/<class>/*.jpg|*.jpeg|*.png)")
    }
    let classNames = given ?? found
    var files = [String](), labels = [Int32]()
    for name in found {
      let folder = (root as NSString).appendingPathComponent(name)
      guard let label = classNames.firstIndex(of: name) else {
        throw RDNASError.badFile(path: folder, reason: "class folder is not among the train split's classes")
      }
      let images = try Self.sortedEntries(folder).filter {
        Self.extensions.contains(($0 as NSString).pathExtension.lowercased())
      }.map { (folder as NSString).appendingPathComponent($0) }  // a folder named x.jpg fails later, by name
      guard !images.isEmpty else {
        throw RDNASError.badFile(path: folder, reason: "empty class folder (no .jpg, .jpeg or .png images)")
      }
      files += images
      labels += repeatElement(Int32(label), count: images.count)
    }
    self.root = root
    self.classNames = classNames
    self.files = files
    self.labels = labels
  }

  private static func sortedEntries(_ folder: String) throws -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: folder)
        .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    } catch {
      throw RDNASError.badFile(path: folder, reason: "cannot list folder")
    }
  }
}

/// Decodes every listed file on all cores. Each file owns a fixed slot in the output, so the result is the same
/// whichever thread decodes which file; errors are reported for the first bad file in listing order.
enum ImageFolderDecoder {
  private enum Outcome {
    case pending, decoded, needsColor
    case failed(String)
    case wrongSize(ImageHeader)
  }

  /// Shared output buffers; threads write disjoint slots only. `pixels` is borrowed from the result array for the
  /// duration of one synchronous `concurrentPerform`, so decoded bytes land in place with no final copy.
  private final class Slots: @unchecked Sendable {
    let pixels: UnsafeMutablePointer<UInt8>
    let outcomes: UnsafeMutableBufferPointer<Outcome>
    init(pixels: UnsafeMutablePointer<UInt8>, fileCount: Int) {
      self.pixels = pixels
      outcomes = .allocate(capacity: fileCount)
      outcomes.initialize(repeating: .pending)
    }
    deinit {
      outcomes.deinitialize()
      outcomes.deallocate()
    }
  }

  static func decode(_ listing: ImageFolderListing, name: String) throws -> ImageDataset {
    let files = listing.files
    guard let firstFile = files.first else {
      throw RDNASError.badFile(path: listing.root, reason: "no images")
    }
    let first = try firstHeader(firstFile)
    // Gray only if every image is; one colour image among gray ones triggers a second, RGB pass.
    var channels = first.isGray ? 1 : 3
    while true {
      let size = first.height * first.width * channels
      var pixels = [UInt8](repeating: 0, count: size * files.count)
      let outcomes: [Outcome] = pixels.withUnsafeMutableBufferPointer { buffer in
        let slots = Slots(pixels: buffer.baseAddress!, fileCount: files.count)
        let chunkCount = min(files.count, ProcessInfo.processInfo.activeProcessorCount * 16)
        let passChannels = channels
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
          let range = (chunk * files.count / chunkCount)..<((chunk + 1) * files.count / chunkCount)
          decodeFiles(files, range: range, header: first, channels: passChannels, into: slots)
        }
        return Array(slots.outcomes)
      }
      var needsColor = false
      for (i, outcome) in outcomes.enumerated() {
        switch outcome {
        case .decoded: continue
        case .needsColor: needsColor = true
        case .pending: throw RDNASError.failure("\(files[i]): image was not decoded")
        case .failed(let reason): throw RDNASError.badFile(path: files[i], reason: reason)
        case .wrongSize(let h):
          throw RDNASError.badFile(
            path: files[i],
            reason: "image is \(h.width)×\(h.height) but \(firstFile) is \(first.width)×\(first.height)"
              + " (all images must have the same size)")
        }
      }
      if needsColor && channels == 1 {
        channels = 3
        continue
      }
      return ImageDataset(
        validated: name, height: first.height, width: first.width, channels: channels,
        pixels: pixels, labels: listing.labels, classNames: listing.classNames)
    }
  }

  private static func firstHeader(_ path: String) throws -> ImageHeader {
    let decoder = try ImageDecoder()
    let bytes = try FileBytes.read(path)
    let header = bytes.withUnsafeBytes { decoder.header($0) }
    switch header {
    case .success(let h): return h
    case .failure(let f): throw RDNASError.badFile(path: path, reason: f.reason)
    }
  }

  private static func decodeFiles(
    _ files: [String], range: Range<Int>, header: ImageHeader, channels: Int, into slots: Slots
  ) {
    let decoder: ImageDecoder
    do { decoder = try ImageDecoder() } catch {
      for i in range { slots.outcomes[i] = .failed("\(error)") }
      return
    }
    let size = header.width * header.height * channels
    for i in range {
      let bytes: [UInt8]
      do { bytes = try FileBytes.read(files[i]) } catch {
        slots.outcomes[i] = .failed(reasonOnly(error, path: files[i]))
        continue
      }
      let result = bytes.withUnsafeBytes {
        decoder.decode($0, width: header.width, height: header.height, channels: channels,
                       into: slots.pixels + i * size)
      }
      switch result {
      case .failure(let f): slots.outcomes[i] = .failed(f.reason)
      case .success(let h) where h.width != header.width || h.height != header.height:
        slots.outcomes[i] = .wrongSize(h)
      case .success(let h) where !h.isGray && channels == 1: slots.outcomes[i] = .needsColor
      case .success: slots.outcomes[i] = .decoded
      }
    }
  }

  /// The reason part of a file error, since the caller names the file itself.
  private static func reasonOnly(_ error: Error, path: String) -> String {
    if case RDNASError.badFile(_, let reason) = error { return reason }
    return "\(error)"
  }
}

extension DatasetLoader {
  /// ImageFolder: root/<class>/*.jpg|*.jpeg|*.png, classes sorted by name, files sorted; all images the same size.
  /// Decoded as RGB, or as gray when every image is gray.
  public static func imageFolder(root: String, name: String) throws -> ImageDataset {
    try ImageFolderDecoder.decode(ImageFolderListing(root: root), name: name)
  }
}
