# Source: docs/source/tensors.rst ("torch.FloatTensor ... legacy constructors") and the old
# tutorials' torch.FloatTensor([...]) / torch.LongTensor([...])
import torch

print(torch.FloatTensor([1, 2, 3]))
print(torch.DoubleTensor([1, 2]))
print(torch.LongTensor([1, 2]))
print(torch.IntTensor([1, 2]))
print(torch.BoolTensor([True, False]))
print(torch.FloatTensor(2, 3).shape, torch.LongTensor(2).dtype)
print(torch.FloatTensor([[1, 2], [3, 4]]).dtype)
