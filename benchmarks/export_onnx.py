"""Exports a Hugging Face-format wav2vec 2.0 CTC model to ONNX through torchaudio's implementation of the network.

    /usr/bin/python3 benchmarks/export_onnx.py --model DIR --out FILE.onnx [--samples 160000]

DIR holds config.json and model.safetensors (or pytorch_model.bin), as `Wav2Vec2ForCtc.SavePretrained` writes them.
The weights are loaded by name into torchaudio 0.13's wav2vec2 model (Debian: python3-torch, python3-torchaudio) and
exported with torch.onnx.export: input "waveform" [1, samples] float32, output "logits" [1, frames, vocab]. `./wav2vec
bench` runs this script when its ONNX file is missing, then checks ONNX Runtime's logits against its own.
Exit codes: 0 written, 2 a Python package is missing (the message names it), 1 anything else.
"""
import argparse
import json
import os
import struct
import sys

try:
    import numpy as np
    import torch
    import torchaudio
except ImportError as missing:
    print(f"missing Python package: {missing.name} (Debian: apt-get install python3-torch python3-torchaudio)", file=sys.stderr)
    sys.exit(2)

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    """The tensors of a .safetensors file: an 8-byte header length, a JSON header, then raw little-endian data."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}; save the model in float32")
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.astype(np.float32))
    return tensors


def read_weights(directory):
    safetensors = os.path.join(directory, "model.safetensors")
    if os.path.exists(safetensors):
        return read_safetensors(safetensors)
    return {k: v.float() for k, v in torch.load(os.path.join(directory, "pytorch_model.bin"), map_location="cpu").items()}


def torchaudio_model(c, weights):
    """torchaudio's wav2vec2 network with Hugging Face-named weights mapped onto its module names."""
    model = torchaudio.models.wav2vec2_model(
        extractor_mode="layer_norm" if c.get("feat_extract_norm", "group") == "layer" else "group_norm",
        extractor_conv_layer_config=list(zip(c["conv_dim"], c["conv_kernel"], c["conv_stride"])),
        extractor_conv_bias=c.get("conv_bias", False), encoder_embed_dim=c["hidden_size"],
        encoder_projection_dropout=0.0, encoder_pos_conv_kernel=c["num_conv_pos_embeddings"],
        encoder_pos_conv_groups=c["num_conv_pos_embedding_groups"], encoder_num_layers=c["num_hidden_layers"],
        encoder_num_heads=c["num_attention_heads"], encoder_attention_dropout=0.0,
        encoder_ff_interm_features=c["intermediate_size"], encoder_ff_interm_dropout=0.0, encoder_dropout=0.0,
        encoder_layer_norm_first=c.get("do_stable_layer_norm", False), encoder_layer_drop=0.0, aux_num_out=c["vocab_size"])
    prefixes = [("wav2vec2.feature_extractor.", "feature_extractor."),
                ("wav2vec2.feature_projection.", "encoder.feature_projection."),
                ("wav2vec2.encoder.", "encoder.transformer."), ("lm_head.", "aux.")]
    mapped = {}
    for name, tensor in weights.items():
        name = name.replace("parametrizations.weight.original0", "weight_g").replace("parametrizations.weight.original1", "weight_v")
        for hf, ta in prefixes:
            if name.startswith(hf):
                mapped[ta + name[len(hf):]] = tensor
    model.load_state_dict(mapped, strict=True)
    return model.eval()


class Logits(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, waveform):
        return self.model(waveform)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--samples", type=int, default=160000)
    args = parser.parse_args()
    with open(os.path.join(args.model, "config.json")) as f:
        config = json.load(f)
    model = Logits(torchaudio_model(config, read_weights(args.model)))
    example = torch.zeros(1, args.samples)
    partial = args.out + ".partial"
    with torch.no_grad():
        torch.onnx.export(model, (example,), partial, input_names=["waveform"], output_names=["logits"],
                          dynamic_axes={"waveform": {1: "samples"}, "logits": {1: "frames"}}, opset_version=14)
    os.replace(partial, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
