import Foundation
import Common
import Engine
import Supernet

/// `--init-from FILE`: start the supernet from a trained largest network (a checkpoint written by
/// `rdnas standalone` or `rdnas train`), as the reference starts from its pretrained ResNet48, then
/// reorder mid channels by importance so prefix slices hold the most important filters.
enum InitFromLargest {
  static func load(path: String, into net: Supernet) throws {
    let (tensors, _) = try SafeTensors.read(path: path)
    for p in net.store.all {
      guard let e = tensors[p.name] else {
        throw RDNASError.badFile(path: path, reason: "lacks \(p.name): not a checkpoint of this space's largest network")
      }
      guard e.shape == p.shape else {
        throw RDNASError.badFile(path: path, reason: "\(p.name) is \(e.shape), the supernet's largest subnet needs \(p.shape)")
      }
      p.values = e.values
    }
    (net as? ResNetSupernet)?.reorderMidChannelsByImportance()
  }
}
