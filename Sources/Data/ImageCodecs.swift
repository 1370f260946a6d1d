import CTurboJPEG
import Common

/// What the folder reader needs to know before decoding: the size, and whether the image is single-channel
/// (a dataset decodes to gray only when every image in it is gray).
struct ImageHeader: Equatable {
  let width: Int
  let height: Int
  let isGray: Bool
}

/// Decodes JPEG (libjpeg-turbo) and PNG (libpng's simplified API, which needs no setjmp) from memory straight into a
/// caller-owned HWC buffer. One decoder per thread: a TurboJPEG handle must not be shared.
final class ImageDecoder {
  private let jpeg: tjhandle

  init() throws {
    guard let handle = tjInitDecompress() else {
      throw RDNASError.failure("libjpeg-turbo: cannot create a decompressor")
    }
    jpeg = handle
  }

  deinit { tjDestroy(jpeg) }

  enum Kind { case jpeg, png }

  /// By magic bytes, not by file name: a mislabelled file still decodes, and a non-image says so.
  static func kind(of bytes: UnsafeRawBufferPointer) -> Kind? {
    if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    if bytes.count >= 8, zip(bytes.prefix(8), signature).allSatisfy({ $0 == $1 }) { return .png }
    return nil
  }

  /// Reads the header. Errors are reasons; the caller adds the file name.
  func header(_ bytes: UnsafeRawBufferPointer) -> Result<ImageHeader, DecodeFailure> {
    switch Self.kind(of: bytes) {
    case .jpeg: return jpegHeader(bytes)
    case .png: return pngHeader(bytes)
    case nil: return .failure(DecodeFailure("not a JPEG or PNG file"))
    }
  }

  /// Decodes into `output` (height × width × channels bytes, channels 1 or 3), failing when the header does not
  /// match the expected size; the header is returned so the caller can report what it found instead.
  func decode(
    _ bytes: UnsafeRawBufferPointer, width: Int, height: Int, channels: Int, into output: UnsafeMutablePointer<UInt8>
  ) -> Result<ImageHeader, DecodeFailure> {
    let kind = Self.kind(of: bytes)
    let found: Result<ImageHeader, DecodeFailure>
    switch kind {
    case .jpeg: found = jpegHeader(bytes)
    case .png: found = pngHeader(bytes)
    case nil: return .failure(DecodeFailure("not a JPEG or PNG file"))
    }
    guard case .success(let header) = found, header.width == width, header.height == height else { return found }
    if !header.isGray && channels == 1 { return found }  // the caller re-decodes the dataset as RGB
    let failure = kind == .jpeg
      ? jpegDecode(bytes, width: width, height: height, channels: channels, into: output)
      : pngDecode(bytes, channels: channels, into: output)
    return failure.map { .failure($0) } ?? found
  }

  private func jpegHeader(_ bytes: UnsafeRawBufferPointer) -> Result<ImageHeader, DecodeFailure> {
    var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
    let source = bytes.bindMemory(to: UInt8.self).baseAddress
    guard tjDecompressHeader3(jpeg, source, UInt(bytes.count), &width, &height, &subsampling, &colorspace) == 0 else {
      return .failure(DecodeFailure("corrupt JPEG: \(jpegError())"))
    }
    return .success(ImageHeader(
      width: Int(width), height: Int(height), isGray: colorspace == Int32(TJCS_GRAY.rawValue)))
  }

  /// Warnings (e.g. "premature end of data") count as corruption: a truncated JPEG otherwise decodes to a
  /// half-gray image that would silently poison training.
  private func jpegDecode(
    _ bytes: UnsafeRawBufferPointer, width: Int, height: Int, channels: Int, into output: UnsafeMutablePointer<UInt8>
  ) -> DecodeFailure? {
    let format = channels == 1 ? TJPF_GRAY : TJPF_RGB
    let source = bytes.bindMemory(to: UInt8.self).baseAddress
    let status = tjDecompress2(
      jpeg, source, UInt(bytes.count), output, Int32(width), 0, Int32(height), format.rawValue, TJFLAG_STOPONWARNING)
    return status == 0 ? nil : DecodeFailure("corrupt JPEG: \(jpegError())")
  }

  private func jpegError() -> String {
    guard let message = tjGetErrorStr2(jpeg) else { return "unknown libjpeg-turbo error" }
    return String(cString: message)
  }

  private func pngHeader(_ bytes: UnsafeRawBufferPointer) -> Result<ImageHeader, DecodeFailure> {
    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    defer { png_image_free(&image) }
    guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
      return .failure(DecodeFailure("corrupt PNG: \(Self.pngMessage(image))"))
    }
    return .success(ImageHeader(
      width: Int(image.width), height: Int(image.height), isGray: image.format & PNG_FORMAT_FLAG_COLOR == 0))
  }

  private func pngDecode(
    _ bytes: UnsafeRawBufferPointer, channels: Int, into output: UnsafeMutablePointer<UInt8>
  ) -> DecodeFailure? {
    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    defer { png_image_free(&image) }
    guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
      return DecodeFailure("corrupt PNG: \(Self.pngMessage(image))")
    }
    image.format = channels == 1 ? png_uint_32(PNG_FORMAT_GRAY) : png_uint_32(PNG_FORMAT_RGB)
    guard png_image_finish_read(&image, nil, output, 0, nil) != 0 else {
      return DecodeFailure("corrupt PNG: \(Self.pngMessage(image))")
    }
    return nil
  }

  private static func pngMessage(_ image: png_image) -> String {
    withUnsafeBytes(of: image.message) { raw in
      let text = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      return text.isEmpty ? "unknown libpng error" : text
    }
  }
}

/// Why one image could not be decoded; the folder reader turns it into an error naming the file.
struct DecodeFailure: Error, Equatable {
  let reason: String
  init(_ reason: String) { self.reason = reason }
}
