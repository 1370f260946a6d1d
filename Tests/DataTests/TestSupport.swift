import CTurboJPEG
import CZlib
import Common
import Foundation
import XCTest

@testable import Data

/// A fresh folder under the system temp dir, removed when the value goes away.
final class TemporaryFolder {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory
      .appendingPathComponent("rdnas-data-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// `relative` under the folder, with its parent folders created.
  func file(_ relative: String) throws -> String {
    let full = (path as NSString).appendingPathComponent(relative)
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    return full
  }

  func folder(_ relative: String) throws -> String {
    let full = (path as NSString).appendingPathComponent(relative)
    try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
    return full
  }
}

enum Fixtures {
  static func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// Writes through zlib's gz* API, the same library that reads it back.
  static func writeGzip(_ bytes: [UInt8], to path: String) throws {
    guard let file = gzopen(path, "wb") else { throw RDNASError.failure("gzopen \(path)") }
    let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    guard gzclose(file) == Z_OK, written == Int32(bytes.count) else { throw RDNASError.failure("gzwrite \(path)") }
  }

  static func idx(dims: [Int], payload: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(dims.count)]
    for d in dims { bytes += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
    return bytes + payload
  }

  /// A smooth (JPEG-friendly) image whose values depend on `seed`, HWC.
  static func image(height: Int, width: Int, channels: Int, seed: Int) -> [UInt8] {
    var pixels = [UInt8]()
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels { pixels.append(UInt8((20 + 6 * y + 4 * x + 40 * c + 9 * seed) % 256)) }
      }
    }
    return pixels
  }

  static func encodeJPEG(_ pixels: [UInt8], width: Int, height: Int, channels: Int, quality: Int32 = 95) throws
    -> [UInt8]
  {
    guard let handle = tjInitCompress() else { throw RDNASError.failure("tjInitCompress") }
    defer { tjDestroy(handle) }
    var buffer: UnsafeMutablePointer<UInt8>?
    var size: UInt = 0
    let format = channels == 1 ? TJPF_GRAY : TJPF_RGB
    let sampling = channels == 1 ? TJSAMP_GRAY : TJSAMP_444
    let status = tjCompress2(
      handle, pixels, Int32(width), 0, Int32(height), Int32(format.rawValue), &buffer, &size,
      Int32(sampling.rawValue), quality, 0)
    defer { tjFree(buffer) }
    guard status == 0, let buffer else { throw RDNASError.failure("tjCompress2 failed") }
    return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
  }

  static func writeJPEG(_ pixels: [UInt8], width: Int, height: Int, channels: Int, to path: String) throws {
    try write(encodeJPEG(pixels, width: width, height: height, channels: channels), to: path)
  }

  static func writePNG(_ pixels: [UInt8], width: Int, height: Int, channels: Int, to path: String) throws {
    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    image.width = png_uint_32(width)
    image.height = png_uint_32(height)
    image.format = channels == 1 ? png_uint_32(PNG_FORMAT_GRAY) : png_uint_32(PNG_FORMAT_RGB)
    guard png_image_write_to_file(&image, path, 0, pixels, 0, nil) != 0 else {
      throw RDNASError.failure("png_image_write_to_file \(path)")
    }
  }

  /// The folder that holds the repo's checkout (found from this file, following the private-package symlink).
  static var repositoryRoot: URL {
    var resolved = [CChar](repeating: 0, count: Int(PATH_MAX))
    let path = realpath(#filePath, &resolved) != nil
      ? String(decoding: resolved.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : #filePath
    return URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }
}

/// A small in-memory dataset whose image i is filled with byte i (so batches reveal which images they hold).
func numberedDataset(count: Int, height: Int = 4, width: Int = 4, channels: Int = 1) throws -> ImageDataset {
  let size = height * width * channels
  var pixels = [UInt8]()
  for i in 0..<count { pixels += repeatElement(UInt8(i % 256), count: size) }
  return try ImageDataset(
    name: "numbered", height: height, width: width, channels: channels, pixels: pixels,
    labels: (0..<count).map { Int32($0 % 10) }, classNames: (0..<10).map(String.init))
}
