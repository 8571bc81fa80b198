# Source: torch.nn.init docs examples (uniform_, normal_, constant_, ones_, zeros_,
# xavier_uniform_, xavier_normal_, kaiming_uniform_, kaiming_normal_, calculate_gain), seeded
import torch
from torch import nn

torch.manual_seed(0)
w = torch.empty(3, 5)
print(nn.init.uniform_(w))
print(nn.init.normal_(w))
print(nn.init.constant_(w, 0.3))
print(nn.init.ones_(w))
print(nn.init.zeros_(w))
print(nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain('relu')))
print(nn.init.xavier_normal_(w))
print(nn.init.kaiming_uniform_(w, mode='fan_in', nonlinearity='relu'))
print(nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu'))
print(nn.init.calculate_gain('tanh'), nn.init.calculate_gain('leaky_relu', 0.2))
