"""The golden corpus: real PyTorch autograd snippets and PyTorch 2.13's recorded output."""
