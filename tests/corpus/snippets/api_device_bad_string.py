# Source: torch.device docs; a misspelled device string
import torch

torch.device('gpu')
