# PyTorch reference for BF16NetworkTests: fp32 vs bf16-autocast gradient cosines of ResNet-20 at init
# (batch 16 of 16x16 Gaussian images, labels i mod 10). Usage: python3 tools/bf16_cosine.py
import sys, torch, copy
sys.path.insert(0, __import__("os").path.join(__import__("os").path.dirname(__file__), "..", "bench"))
from peer_resnet20 import ResNet20
torch.manual_seed(3)
torch.set_num_threads(1)
m = ResNet20()
x = torch.randn(16, 3, 16, 16); y = torch.arange(16) % 10
def grads(model, bf16):
    model.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        out = model(x)
    loss = torch.nn.functional.cross_entropy(out.float(), y)
    loss.backward()
    return loss.item(), {n: p.grad.clone() for n, p in model.named_parameters()}
m2 = copy.deepcopy(m)
l32, g32 = grads(m, False); l16, g16 = grads(m2, True)
print("loss", l32, l16)
cs = sorted((torch.nn.functional.cosine_similarity(g32[n].flatten(), g16[n].flatten(), dim=0).item(), n) for n in g32)
for c, n in cs[:8]: print(round(c, 4), n)
print("median", cs[len(cs)//2])
