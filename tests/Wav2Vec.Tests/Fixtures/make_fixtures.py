"""Generates the extra wav2vec 2.0 parity fixtures (tiny random models in Hugging Face format + reference outputs).

Run with Debian's PyTorch (apt-get install python3-torch python3-torchaudio):
    /usr/bin/python3 tests/Wav2Vec.Tests/Fixtures/make_fixtures.py
The forward pass is torchaudio 0.13's wav2vec2 implementation (torchaudio.models.wav2vec2_model) after loading the
Hugging Face-named weights into it by name; the quantizer and projections are plain PyTorch on the same tensors,
following the formulas of hf-tiny-group/README.md. Every fixture covers a configuration the shared hf-tiny-group one
does not: layer-norm conv blocks, conv bias, pre-LN ("stable layer norm") Transformer, odd positional kernels,
other conv stacks and codebook shapes, padded batches with an attention mask, and PyTorch >= 2.1 weight-norm names.
The tests only read the generated files; they never run Python.
"""
import json
import math
import os
import wave

import numpy as np
import torch
import torchaudio

HERE = os.path.dirname(os.path.abspath(__file__))

FIXTURES = {
    # Layer-norm conv blocks with bias, pre-LN Transformer, 4 conv layers, odd positional kernel.
    "hf-tiny-layer-stable": dict(
        feat_extract_norm="layer", conv_bias=True, do_stable_layer_norm=True,
        conv_dim=[24, 32, 32, 40], conv_kernel=[10, 5, 3, 2], conv_stride=[5, 4, 2, 2],
        hidden_size=48, num_hidden_layers=3, num_attention_heads=4, intermediate_size=96,
        num_conv_pos_embeddings=15, num_conv_pos_embedding_groups=3,
        num_codevector_groups=3, num_codevectors_per_group=5, codevector_dim=30, proj_codevector_dim=20,
        vocab_size=12, parametrized_weight_norm=False,
    ),
    # Layer-norm conv blocks without bias, post-LN Transformer, one codebook, weight norm saved as parametrizations.
    "hf-tiny-layer-post": dict(
        feat_extract_norm="layer", conv_bias=False, do_stable_layer_norm=False,
        conv_dim=[16, 24, 24, 24, 24, 32, 32], conv_kernel=[10, 3, 3, 3, 3, 2, 2], conv_stride=[5, 2, 2, 2, 2, 2, 2],
        hidden_size=40, num_hidden_layers=2, num_attention_heads=5, intermediate_size=80,
        num_conv_pos_embeddings=8, num_conv_pos_embedding_groups=2,
        num_codevector_groups=1, num_codevectors_per_group=12, codevector_dim=16, proj_codevector_dim=24,
        vocab_size=9, parametrized_weight_norm=True,
    ),
    # Group-norm conv blocks with bias and a pre-LN Transformer (unpadded input only: group norm sees padding).
    "hf-tiny-group-stable": dict(
        feat_extract_norm="group", conv_bias=True, do_stable_layer_norm=True,
        conv_dim=[32, 32, 32, 32, 32], conv_kernel=[10, 3, 3, 3, 2], conv_stride=[5, 2, 2, 2, 2],
        hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
        num_conv_pos_embeddings=9, num_conv_pos_embedding_groups=4,
        num_codevector_groups=2, num_codevectors_per_group=6, codevector_dim=16, proj_codevector_dim=16,
        vocab_size=10, parametrized_weight_norm=False,
    ),
}

LENGTHS = (12000, 9517)


def hf_config(spec):
    config = {
        "model_type": "wav2vec2", "architectures": ["Wav2Vec2ForPreTraining"],
        "feat_extract_activation": "gelu", "hidden_act": "gelu", "layer_norm_eps": 1e-5,
        "hidden_dropout": 0.0, "activation_dropout": 0.0, "attention_dropout": 0.0, "feat_proj_dropout": 0.0,
        "feat_quantizer_dropout": 0.0, "final_dropout": 0.0, "layerdrop": 0.0, "mask_time_prob": 0.05,
        "num_feat_extract_layers": len(spec["conv_dim"]), "pad_token_id": 0,
    }
    config.update({k: v for k, v in spec.items() if k != "parametrized_weight_norm"})
    return config


def random_weights(c, generator):
    """Hugging Face-named random tensors; norm gains and biases non-trivial so mistakes show."""
    def rnd(*shape, scale=1.0):
        return torch.randn(*shape, generator=generator) * scale

    def norm(prefix, dim):
        w[prefix + ".weight"] = 1.0 + rnd(dim, scale=0.2)
        w[prefix + ".bias"] = rnd(dim, scale=0.2)

    def linear(prefix, n_in, n_out):
        w[prefix + ".weight"] = rnd(n_out, n_in, scale=1.0 / math.sqrt(n_in))
        w[prefix + ".bias"] = rnd(n_out, scale=0.1)

    w = {}
    n_in = 1
    for i, (dim, k) in enumerate(zip(c["conv_dim"], c["conv_kernel"])):
        p = f"wav2vec2.feature_extractor.conv_layers.{i}"
        w[p + ".conv.weight"] = rnd(dim, n_in, k, scale=1.0 / math.sqrt(n_in * k))
        if c["conv_bias"]:
            w[p + ".conv.bias"] = rnd(dim, scale=0.1)
        if c["feat_extract_norm"] == "layer" or i == 0:
            norm(p + ".layer_norm", dim)
        n_in = dim
    d, conv_out = c["hidden_size"], c["conv_dim"][-1]
    norm("wav2vec2.feature_projection.layer_norm", conv_out)
    linear("wav2vec2.feature_projection.projection", conv_out, d)
    k, groups = c["num_conv_pos_embeddings"], c["num_conv_pos_embedding_groups"]
    p = "wav2vec2.encoder.pos_conv_embed.conv"
    w[p + ".weight_g"] = (0.5 + torch.rand(1, 1, k, generator=generator)) * 2.0
    w[p + ".weight_v"] = rnd(d, d // groups, k)
    w[p + ".bias"] = rnd(d, scale=0.1)
    norm("wav2vec2.encoder.layer_norm", d)
    for n in range(c["num_hidden_layers"]):
        p = f"wav2vec2.encoder.layers.{n}"
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            linear(f"{p}.attention.{proj}", d, d)
        norm(p + ".layer_norm", d)
        linear(p + ".feed_forward.intermediate_dense", d, c["intermediate_size"])
        linear(p + ".feed_forward.output_dense", c["intermediate_size"], d)
        norm(p + ".final_layer_norm", d)
    w["wav2vec2.masked_spec_embed"] = torch.rand(d, generator=generator)
    g, v, cd = c["num_codevector_groups"], c["num_codevectors_per_group"], c["codevector_dim"]
    w["quantizer.codevectors"] = torch.rand(1, g * v, cd // g, generator=generator)
    linear("quantizer.weight_proj", conv_out, g * v)
    linear("project_hid", d, c["proj_codevector_dim"])
    linear("project_q", cd, c["proj_codevector_dim"])
    linear("lm_head", d, c["vocab_size"])
    return w


def torchaudio_model(c, w):
    model = torchaudio.models.wav2vec2_model(
        extractor_mode="layer_norm" if c["feat_extract_norm"] == "layer" else "group_norm",
        extractor_conv_layer_config=list(zip(c["conv_dim"], c["conv_kernel"], c["conv_stride"])),
        extractor_conv_bias=c["conv_bias"], encoder_embed_dim=c["hidden_size"], encoder_projection_dropout=0.0,
        encoder_pos_conv_kernel=c["num_conv_pos_embeddings"], encoder_pos_conv_groups=c["num_conv_pos_embedding_groups"],
        encoder_num_layers=c["num_hidden_layers"], encoder_num_heads=c["num_attention_heads"],
        encoder_attention_dropout=0.0, encoder_ff_interm_features=c["intermediate_size"],
        encoder_ff_interm_dropout=0.0, encoder_dropout=0.0, encoder_layer_norm_first=c["do_stable_layer_norm"],
        encoder_layer_drop=0.0, aux_num_out=c["vocab_size"])
    mapped = {}
    for name, tensor in w.items():
        if name.startswith("wav2vec2.feature_extractor."):
            mapped[name[len("wav2vec2."):]] = tensor
        elif name.startswith("wav2vec2.feature_projection."):
            mapped["encoder." + name[len("wav2vec2."):]] = tensor
        elif name.startswith("wav2vec2.encoder."):
            mapped["encoder.transformer." + name[len("wav2vec2.encoder."):]] = tensor
        elif name.startswith("lm_head."):
            mapped["aux." + name[len("lm_head."):]] = tensor
    model.load_state_dict(mapped, strict=True)
    return model.eval()


def perplexity(probs):
    mean = probs.mean(0)
    return float(torch.exp(-(mean * torch.log(mean + 1e-7)).sum(-1)).sum())


def synthetic_audio(n, seed):
    """A deterministic chirp plus noise, quantised to int16 like a WAV file."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 16000.0
    x = 0.3 * np.sin(2 * np.pi * (200 + 900 * t) * t) + 0.05 * rng.standard_normal(n)
    return np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)


def write_wav(path, samples):
    with wave.open(path, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(16000)
        f.writeframes(samples.tobytes())


def make(name, spec, seed):
    out = os.path.join(HERE, name)
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    c = hf_config(spec)
    generator = torch.Generator().manual_seed(seed)
    w = random_weights(c, generator)
    model = torchaudio_model(c, w)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    saved = {}
    for key, tensor in w.items():
        if spec["parametrized_weight_norm"]:
            key = key.replace("conv.weight_g", "conv.parametrizations.weight.original0")
            key = key.replace("conv.weight_v", "conv.parametrizations.weight.original1")
        saved[key] = tensor.clone().contiguous()
    torch.save(saved, os.path.join(out, "pytorch_model.bin"))

    ints = [synthetic_audio(n, seed + i) for i, n in enumerate(LENGTHS)]
    for i, samples in enumerate(ints):
        write_wav(os.path.join(out, f"input{'' if i == 0 else i + 1}.wav"), samples)
    waves = [torch.from_numpy(s.astype(np.float32) / 32768.0) for s in ints]

    def save(file, tensor):
        np.save(os.path.join(out, "expected", file), np.ascontiguousarray(tensor.detach().numpy()))

    with torch.no_grad():
        x = waves[0].unsqueeze(0)
        conv, _ = model.feature_extractor(x, None)
        save("conv_features.npy", conv)
        projection = model.encoder.feature_projection
        save("extract_features.npy", projection.layer_norm(conv))
        projected = projection(conv)
        transformer = model.encoder.transformer
        save("encoder_input.npy", transformer._preprocess(projected))
        for n, layer_out in enumerate(transformer.get_intermediate_outputs(projected)):
            save(f"hidden_states_layer{n}.npy", layer_out)
        last = model.encoder(conv)
        save("last_hidden_state.npy", last)
        logits, _ = model(x)
        save("logits.npy", logits)

        g, v = c["num_codevector_groups"], c["num_codevectors_per_group"]
        extract = projection.layer_norm(conv)
        q_logits = torch.nn.functional.linear(extract, w["quantizer.weight_proj.weight"], w["quantizer.weight_proj.bias"])
        save("quantizer_logits.npy", q_logits)
        grouped = q_logits.view(-1, g, v)
        idx = grouped.argmax(-1)
        np.save(os.path.join(out, "expected", "codevector_idx.npy"), idx.view(1, -1, g).numpy().astype(np.int64))
        book = w["quantizer.codevectors"][0].view(g, v, -1)
        quantized = torch.cat([book[j][idx[:, j]] for j in range(g)], -1).unsqueeze(0)
        save("quantized.npy", quantized)
        save("projected_quantized.npy",
             torch.nn.functional.linear(quantized, w["project_q.weight"], w["project_q.bias"]))
        save("projected_states.npy",
             torch.nn.functional.linear(last, w["project_hid.weight"], w["project_hid.bias"]))
        one_hot = torch.nn.functional.one_hot(idx, v).float()
        with open(os.path.join(out, "expected", "perplexity.json"), "w") as f:
            json.dump({"prob_perplexity": perplexity(torch.softmax(grouped, -1)), "code_perplexity": perplexity(one_hot)}, f)

        lengths = {"samples": list(LENGTHS)}
        if c["feat_extract_norm"] == "layer":
            batch = torch.zeros(2, LENGTHS[0])
            for i, wv in enumerate(waves):
                batch[i, : wv.shape[0]] = wv
            batch_logits, frames = model(batch, torch.tensor(LENGTHS))
            save("batch_logits.npy", batch_logits)
            lengths["frames"] = frames.tolist()
        else:
            lengths["frames"] = [model.feature_extractor(wv.unsqueeze(0), torch.tensor([wv.shape[0]]))[1].item() for wv in waves]
        with open(os.path.join(out, "expected", "lengths.json"), "w") as f:
            json.dump(lengths, f)
    print(name, "T =", conv.shape[1], "frames", lengths["frames"])


if __name__ == "__main__":
    torch.set_num_threads(1)
    for i, (fixture, spec) in enumerate(FIXTURES.items()):
        make(fixture, spec, seed=i + 1)
