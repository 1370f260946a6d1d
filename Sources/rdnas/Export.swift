import ArgumentParser
import Common
import Data
import Engine
import Foundation
import ONNXExport
import Ranking
import Search
import Supernet
import Training

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write one subnet of a trained supernet as a standalone network (safetensors).",
    usage: """
      rdnas export --run runs/rd --arch 1342233313... --out exported/rd-best
      rdnas export --run runs/nb --arch '|nor_conv_3x3~0|+|...' --out exported/nb-best --bn-recalibrate 50 --onnx
      """,
    discussion: """
      Writes <out>/model.safetensors: the subnet's weights cut from the supernet, BN statistics recalibrated \
      on training batches, and metadata (format, space, space_config, encoding, arch, input_shape, classes, \
      activation, normalisation, validation accuracy). tools/rdnas_torch.py loads it in PyTorch; \
      `rdnas standalone --init-from <out>` fine-tunes it. With --onnx, also <out>/model.onnx (opset 13, input \
      `input` NCHW float32 normalised as the metadata says, output `logits`, the same metadata as properties), \
      which onnxruntime runs.
      """)

  @Option(name: .customLong("run"), help: "Run folder of a trained supernet.") var runFolder: String
  @Option(help: "Checkpoint to load (default: <run>/checkpoints/last.safetensors).") var checkpoint: String?
  @Option(help: "The architecture (digits, or the space's text form).") var arch: String
  @Option(help: "Output folder.") var out: String
  @Option(help: "Training batches to recalibrate BN statistics on (0 = keep the supernet's shared ones).")
  var bnRecalibrate = 20
  @Option(help: "Validation images to report the exported network's accuracy on (default: the whole split).")
  var images: Int?
  @Option(help: "Batch size of the validation pass.") var batchSize = 250
  @Flag(help: "Also write <out>/model.onnx (opset 13, inference form: BN with its running statistics).")
  var onnx = false
  @OptionGroup(title: "Compute") var compute: ComputeOptions

  func run() throws {
    try runReportingErrors {
      let precision = try compute.apply().precision
      guard bnRecalibrate >= 0 else { throw RDNASError.badInput("--bn-recalibrate must be at least 0") }
      var config = try RunFolder.readConfig(runDirectory: runFolder)
      let space = try config.makeSpace()
      let code = try space.parse(arch)
      let ckpt = checkpoint ?? RunFolder(path: runFolder).lastCheckpointPath
      guard FileManager.default.fileExists(atPath: ckpt) else {
        throw RDNASError.badInput("\(runFolder) has no checkpoint (\(ckpt)); train it first")
      }
      let data = try RunData.load(&config)
      let supernet = try config.makeSupernet(space: space)
      try Checkpoint.restoreWeights(try Checkpoint.load(path: ckpt), into: supernet.store, path: ckpt)
      let net = try SubnetExport.standalone(code, of: supernet)
      if bnRecalibrate > 0 {
        // The same batches `rdnas eval --bn-recalibrate K` uses, so the export scores as eval scored it.
        let calib = try BatchLoader(dataset: data.train, batchSize: config.batchSize, shuffle: true, dropLast: true,
                                    augmentation: .none, normalization: data.normalization, seed: config.seed &+ 99)
        BatchNormRecalibration.run(net, arch: code, batches: Array(calib.epoch(0).prefix(bnRecalibrate)), precision: precision)
      }
      let val = images.map { data.validation.subset(Array(0..<min($0, data.validation.count))) } ?? data.validation
      let loader = try BatchLoader(dataset: val, batchSize: batchSize, shuffle: false, dropLast: false,
                                   augmentation: .none, normalization: data.normalization, seed: 0)
      let result = ClassifierEvaluation.evaluate(loader: loader, precision: precision) { t, x in net.logits(t, x, arch: code) }
      let metadata = try SubnetExport.metadata(arch: code, of: supernet, normalization: data.normalization, extra: [
        "source_checkpoint": ckpt, "bn_recalibration_batches": "\(bnRecalibrate)", "dataset": config.dataset,
        "validation_accuracy": "\(result.accuracy)", "validation_loss": "\(result.loss)",
        "validation_images": "\(result.count)", "rdnas_version": BuildInfo.description,
      ])
      let path = out + "/" + SubnetExport.fileName
      // The ONNX graph is built before anything is written, so a failure leaves no half export behind.
      let onnxData = onnx ? try SubnetONNX.serialized(net, arch: code, metadata: metadata) : nil
      try SubnetExport.write(net, metadata: metadata, path: path)
      if let onnxData {
        let onnxPath = out + "/model.onnx"
        try onnxData.write(to: URL(fileURLWithPath: onnxPath), options: .atomic)
        print("wrote \(onnxPath) (\(onnxData.count) bytes)")
      }
      print(String(format: "wrote %@: %@, %d parameters, %.2f MFLOPs; validation accuracy %.4f, loss %.4f on %d images",
                   path, space.format(code), space.params(code), space.flops(code) / 1e6, result.accuracy,
                   result.loss, result.count))
    }
  }
}
