"""Generates training-mode parity fixtures for wav2vec 2.0 pre-training (loss terms, logits and gradients).

Run with Debian's PyTorch (apt-get install python3-torch python3-torchaudio):
    /usr/bin/python3 tests/Wav2Vec.Tests/Fixtures/make_training_fixtures.py
The reference is Hugging Face's Wav2Vec2ForPreTraining.forward in training mode (transformers 4.x, loss with
mask_time_indices and sampled_negative_indices given), written out below over torchaudio 0.13's wav2vec2 modules
(feature extractor, feature projection, Transformer) and plain PyTorch for everything Hugging Face adds: the learned
mask embedding, the Gumbel quantizer, the projections, the distractors and the loss. Two terms come from fairseq
because Hugging Face has none: GradMultiply (feature_grad_mult, a gradient scale on the conv features) and the
feature penalty (mean of the squared conv features, weighted by beta times the number of masked frames, as fairseq's
wav2vec criterion adds it). Every source of randomness is an input saved with the fixture: the time mask, the
distractor indices and the Gumbel noise. Dropout and layer drop are 0. The tests only read the generated files.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

from make_fixtures import HERE, hf_config, random_weights, synthetic_audio, torchaudio_model, write_wav

# Conv input widths are 16 or multiples of 32: oneDNN in the libtorch behind TorchSharp 0.107 computes float32 conv1d
# wrongly on AVX-512 CPUs for other widths above 16. ConvBlock avoids those kernels (Foundation/ConvolutionCorrectnessTests);
# these fixtures test the training computation, not that workaround.
FIXTURES = {
    # BASE-like: group-norm conv stack without bias, post-LN Transformer, even positional kernel, GradMultiply 0.1.
    "hf-tiny-group-train": dict(
        spec=dict(
            feat_extract_norm="group", conv_bias=False, do_stable_layer_norm=False,
            conv_dim=[32, 32, 32, 32, 32, 32, 32], conv_kernel=[10, 3, 3, 3, 3, 2, 2], conv_stride=[5, 2, 2, 2, 2, 2, 2],
            hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
            num_conv_pos_embeddings=8, num_conv_pos_embedding_groups=4,
            num_codevector_groups=2, num_codevectors_per_group=4, codevector_dim=16, proj_codevector_dim=16,
            vocab_size=8, parametrized_weight_norm=False,
            num_negatives=8, contrastive_logits_temperature=0.1, diversity_loss_weight=0.1, feature_grad_mult=0.1,
            mask_time_prob=0.5, mask_time_length=4),
        gumbel_temperature=2.0, feature_penalty_weight=10.0, lengths=(12000, 9517)),
    # Layer-norm conv blocks with bias, pre-LN ("stable layer norm") Transformer, odd positional kernel, three
    # codebooks, other kappa / alpha / beta, a low Gumbel temperature and no gradient scale.
    "hf-tiny-layer-stable-train": dict(
        spec=dict(
            feat_extract_norm="layer", conv_bias=True, do_stable_layer_norm=True,
            conv_dim=[16, 32, 32, 32, 32, 32, 32], conv_kernel=[10, 3, 3, 3, 3, 2, 2], conv_stride=[5, 2, 2, 2, 2, 2, 2],
            hidden_size=24, num_hidden_layers=2, num_attention_heads=3, intermediate_size=48,
            num_conv_pos_embeddings=7, num_conv_pos_embedding_groups=3,
            num_codevector_groups=3, num_codevectors_per_group=3, codevector_dim=24, proj_codevector_dim=20,
            vocab_size=8, parametrized_weight_norm=False,
            num_negatives=6, contrastive_logits_temperature=0.15, diversity_loss_weight=0.25, feature_grad_mult=1.0,
            mask_time_prob=0.5, mask_time_length=3),
        gumbel_temperature=0.7, feature_penalty_weight=2.0, lengths=(11000, 8000)),
}


class GradMultiply(torch.autograd.Function):
    """fairseq's GradMultiply: identity forward, gradient times scale backward."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return x.new(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


def span_mask(frames, total, prob, span, rng):
    """A fixed time mask [B, T]: ceil(prob*T/span) random span starts per row, spans inside the real frames."""
    mask = np.zeros((len(frames), total), dtype=bool)
    for b, t in enumerate(frames):
        for start in rng.choice(t - span + 1, size=math.ceil(prob * t / span), replace=False):
            mask[b, start:start + span] = True
    return mask


def distractors(mask, count, rng):
    """Hugging Face's _sample_negative_indices semantics, indices within the utterance: each masked frame draws
    `count` frames with replacement from the other masked frames of its row. Unmasked rows repeat their own index."""
    b, t = mask.shape
    out = np.tile(np.arange(t)[None, :, None], (b, 1, count))
    for row in range(b):
        masked = np.flatnonzero(mask[row])
        for j, frame in enumerate(masked):
            r = rng.integers(0, len(masked) - 1, size=count)
            out[row, frame] = masked[np.where(r >= j, r + 1, r)]
    return out


def gumbel_noise(shape, generator):
    """Gumbel(0, 1) draws as torch.nn.functional.gumbel_softmax makes them: -log(Exp(1))."""
    return -torch.empty(shape).exponential_(generator=generator).log()


def perplexity(probs, mask):
    """Hugging Face Wav2Vec2GumbelVectorQuantizer._compute_perplexity: probs [B*T, G, V], mask [B, T] or None."""
    if mask is not None:
        m = mask.flatten()[:, None, None].expand(probs.shape)
        probs = torch.where(m, probs, torch.zeros_like(probs))
        marginal = probs.sum(dim=0) / mask.sum()
    else:
        marginal = probs.mean(dim=0)
    return torch.exp(-torch.sum(marginal * torch.log(marginal + 1e-7), dim=-1)).sum()


def pretraining_loss(model, w, c, waves, lengths, mask, negatives, noise, tau, beta, dtype=torch.float32):
    """Hugging Face's Wav2Vec2ForPreTraining.forward (training mode, loss branch) plus fairseq's GradMultiply and
    feature penalty. Returns the named terms and intermediates. Hugging Face computes the Gumbel softmax, the
    perplexity, the cosine similarities and the cross-entropy in float32 (`.float()`); `dtype` is that precision
    (float64 for the self-check run)."""
    batch = torch.zeros(len(waves), max(lengths), dtype=dtype)
    for i, wv in enumerate(waves):
        batch[i, : wv.shape[0]] = wv
    # Wav2Vec2Model: feature extractor -> (GradMultiply) -> feature projection (LayerNorm output = extract_features).
    conv, frames = model.feature_extractor(batch, torch.tensor(lengths))
    conv = GradMultiply.apply(conv, c["feature_grad_mult"])
    penalty = conv.to(dtype).pow(2).mean()
    projection = model.encoder.feature_projection
    extract = projection.layer_norm(conv)
    hidden = projection.dropout(projection.projection(extract))
    # _mask_hidden_states: masked frames replaced by the learned embedding.
    hidden[mask] = w["wav2vec2.masked_spec_embed"].to(hidden.dtype)
    # Wav2Vec2Encoder / Wav2Vec2EncoderStableLayerNorm: padded frames zeroed, additive mask with finfo.min.
    B, T, _ = hidden.shape
    real = torch.arange(T)[None, :] < frames[:, None]
    hidden = hidden.masked_fill(~real[..., None], 0.0)
    attention = (1.0 - real[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
    last = model.encoder.transformer(hidden, attention_mask=attention.expand(B, 1, T, T))

    transformer_features = F.linear(last, w["project_hid.weight"], w["project_hid.bias"])
    # Wav2Vec2GumbelVectorQuantizer.forward, training branch, with the Gumbel draws of F.gumbel_softmax(hard=True) given.
    G, V = c["num_codevector_groups"], c["num_codevectors_per_group"]
    q_logits = F.linear(extract, w["quantizer.weight_proj.weight"], w["quantizer.weight_proj.bias"])
    flat = q_logits.view(B * T * G, -1).to(dtype)
    y_soft = ((flat + noise.view(B * T * G, V)) / tau).softmax(-1)
    index = y_soft.max(-1, keepdim=True)[1]
    y_hard = torch.zeros_like(flat).scatter_(-1, index, 1.0)
    codevector_probs = (y_hard - y_soft.detach() + y_soft).type_as(q_logits)
    soft_dist = torch.softmax(q_logits.view(B * T, G, -1).to(dtype), dim=-1)
    prob_perplexity = perplexity(soft_dist, mask)
    code_perplexity = perplexity(y_hard.detach().view(B * T, G, V), mask)
    per_group = codevector_probs.view(B * T, -1).unsqueeze(-1) * w["quantizer.codevectors"]
    quantized = per_group.view(B * T, G, V, -1).sum(-2).view(B, T, -1)
    quantized = F.linear(quantized, w["project_q.weight"], w["project_q.bias"])

    # Distractors: flattened-batch indices b*T + t, as _sample_negative_indices returns them.
    K = negatives.shape[-1]
    flat_negatives = negatives + (torch.arange(B) * T)[:, None, None]
    D = quantized.shape[-1]
    negative_features = quantized.view(-1, D)[flat_negatives.view(-1)].view(B, T, K, D).permute(2, 0, 1, 3)
    # compute_contrastive_logits: cosine similarity in float32 divided by kappa.
    targets = torch.cat([quantized[None, :], negative_features], dim=0)
    logits = torch.cosine_similarity(transformer_features.to(dtype), targets.to(dtype), dim=-1).type_as(targets)
    logits = logits / c["contrastive_logits_temperature"]
    neg_is_pos = (quantized == negative_features).all(-1)
    if neg_is_pos.any():
        logits[1:][neg_is_pos] = float("-inf")
    masked_logits = logits.permute(1, 2, 0)[mask]  # [N, K+1], (batch, frame) order, for the fixture
    logits = logits.transpose(0, 2).reshape(-1, logits.size(0))
    target = ((1 - mask.long()) * -100).transpose(0, 1).flatten()
    contrastive = F.cross_entropy(logits.to(dtype), target, reduction="sum")
    n = mask.sum()
    diversity = (G * V - prob_perplexity) / (G * V)
    loss_hf = contrastive + c["diversity_loss_weight"] * diversity * n
    # fairseq's wav2vec criterion adds coef * penalty * sample_size (sample_size = N masked frames).
    total = loss_hf + beta * penalty * n
    return dict(total=total, loss_hf=loss_hf, contrastive=contrastive, diversity=diversity, penalty=penalty,
                prob_perplexity=prob_perplexity, code_perplexity=code_perplexity, masked=int(n),
                logits=masked_logits, codes=index.view(B, T, G), frames=frames.tolist(),
                neg_is_pos=int(neg_is_pos.permute(1, 2, 0)[mask].sum()),
                projected_states=transformer_features, projected_quantized=quantized, gumbel_gap=gap(flat + noise.view(B * T * G, V)))


def gap(z):
    """Smallest distance between the two largest entries of any row (the Gumbel argmax must not be a near-tie)."""
    top = z.topk(2, dim=-1).values
    return float((top[:, 0] - top[:, 1]).min())


def parameters(model, w):
    """Hugging Face name -> leaf tensor with requires_grad, the torchaudio modules' own parameters where they live."""
    ta = dict(model.named_parameters())
    named = {}
    for name in w:
        if name.startswith("lm_head."):
            continue
        if name.startswith("wav2vec2.feature_extractor."):
            named[name] = ta[name[len("wav2vec2."):]]
        elif name.startswith("wav2vec2.feature_projection."):
            named[name] = ta["encoder." + name[len("wav2vec2."):]]
        elif name.startswith("wav2vec2.encoder."):
            named[name] = ta["encoder.transformer." + name[len("wav2vec2.encoder."):]]
        else:
            w[name].requires_grad_(True)
            named[name] = w[name]
    return named


README = """# Training-mode parity fixture `{name}`

Made by `../make_training_fixtures.py` (Debian's PyTorch 1.13 + torchaudio 0.13); read by
`Pretraining/TrainingParityTests.cs`. A tiny random model in Hugging Face format (config.json, pytorch_model.bin,
`lm_head` unused) and the reference of one training step of `Wav2Vec2ForPreTraining` on fixed inputs.

Model: feat_extract_norm `{c[feat_extract_norm]}`, conv_bias {c[conv_bias]}, do_stable_layer_norm {c[do_stable_layer_norm]},
conv_dim {c[conv_dim]}, hidden {c[hidden_size]}, {c[num_hidden_layers]} layers, positional kernel {c[num_conv_pos_embeddings]} in
{c[num_conv_pos_embedding_groups]} groups, G = {G} codebooks of V = {V}. Step settings: K = {K} distractors,
kappa = {c[contrastive_logits_temperature]}, alpha = {c[diversity_loss_weight]}, beta = {fixture[feature_penalty_weight]} (feature penalty),
Gumbel tau = {fixture[gumbel_temperature]}, feature_grad_mult = {c[feature_grad_mult]}; dropout and layer drop 0.

## Inputs
* `input.wav`, `input2.wav`: int16 / 32768, batched as [2, L] with the second zero-padded at the end; attention
  mask 1 on real samples ({summary[lengths]} samples, {summary[frames]} frames, T = {T}).
* `train/time_mask.npy` int64 [{B}, {T}]: 1 = masked frame (replaced by `wav2vec2.masked_spec_embed`), never in padding.
* `train/distractors.npy` int64 [{B}, {T}, {K}]: distractor frames within the same utterance (add b*T for the
  flattened batch, as `_sample_negative_indices` returns them); rows of unmasked frames are unused.
* `train/gumbel_noise.npy` float32 [{B}, {T}, {G}, {V}]: the Gumbel(0, 1) draws of `gumbel_softmax(hard=True)`.

## Computation
1. Conv features z = feature_extractor(audio) [B, T, C]; GradMultiply(z, feature_grad_mult) (fairseq: identity
   forward, gradient times the factor); penalty = mean(z^2) over all B*T*C entries, padding included.
2. extract = feature_projection.layer_norm(z); hidden = projection(extract); hidden[mask] = masked_spec_embed.
3. Encoder with padded frames zeroed before the positional conv and masked (additive finfo.min) in attention;
   c = project_hid(last_hidden_state).
4. Quantizer on the unmasked extract: l = weight_proj(extract) viewed [B*T, G, V]; y_soft = softmax((l + noise)/tau);
   y = onehot(argmax y_soft) - sg(y_soft) + y_soft; q = project_q(sum_v y * codevectors). prob_perplexity =
   sum_g exp(-sum_v p_gv ln(p_gv + 1e-7)) with p the mean of softmax(l) over the masked frames; code_perplexity the
   same with the one-hot codes.
5. logits = cos(c_t, [q_t, q_distractors]) / kappa in float32, -inf where a distractor equals its positive
   (all of its D = {D} entries); contrastive = cross-entropy with target 0 summed over the N = {summary[masked_frames]}
   masked frames ({summary[neg_is_pos]} distractors hit the -inf rule).
6. diversity = (G*V - prob_perplexity)/(G*V); loss_hf = contrastive + alpha * diversity * N (Hugging Face's `loss`);
   loss_total = loss_hf + beta * penalty * N (fairseq's criterion adds the penalty times the sample size N).

## Expected outputs (`train/`)
* `losses.json`: every scalar above.
* `logits.npy` float32 [N, K + 1]: masked frames in (batch, frame) order, the positive first.
* `code_indices.npy` int64 [{B}, {T}, {G}]: argmax of y_soft. `projected_states.npy`, `projected_quantized.npy`
  float32 [{B}, {T}, {D}]: c and q.
* `gradients.bin` (PyTorch state dict, Hugging Face names): d loss_total / d every parameter except `lm_head`.
  Per masked frame (loss_total / N) they are N times smaller.

The generator checks its float32 result against the same computation in float64 (largest difference
{drift:.1e}, relative to max(1, magnitude)). It computes GELU as x * Phi(x) from erf: Debian's torch 1.13.1
float32 gelu_backward returns garbage (NaN) for a non-contiguous incoming gradient, which this model has behind
every transpose; the float64 check fails without that workaround.
"""


def exact_gelu(x, approximate="none"):
    """GELU x * Phi(x) from primitive ops. Debian's torch 1.13.1 float32 gelu_backward returns garbage (even NaN)
    when the incoming gradient is not contiguous, as it is behind every transpose of this model; autograd through
    erf is correct. Forward values agree with torch.nn.functional.gelu to rounding."""
    return x * 0.5 * (1.0 + torch.erf(x * (1.0 / math.sqrt(2.0))))


def reference(c, w, waves, lengths, mask, negatives, noise, fixture, dtype):
    """The loss terms and the gradient of every parameter (by Hugging Face name) in `dtype`."""
    w = {k: v.detach().clone().to(dtype) for k, v in w.items()}
    model = torchaudio_model(c, w).train().to(dtype)
    named = parameters(model, w)
    r = pretraining_loss(model, w, c, [wv.to(dtype) for wv in waves], list(lengths), torch.from_numpy(mask),
                         torch.from_numpy(negatives), noise.to(dtype), fixture["gumbel_temperature"],
                         fixture["feature_penalty_weight"], dtype)
    r["total"].backward()
    return r, {k: p.grad.detach().clone().contiguous() for k, p in named.items()}


def make(name, fixture, seed):
    out = os.path.join(HERE, name)
    train = os.path.join(out, "train")
    os.makedirs(train, exist_ok=True)
    spec, lengths = fixture["spec"], fixture["lengths"]
    c = hf_config(spec)
    generator = torch.Generator().manual_seed(seed)
    w = random_weights(c, generator)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    torch.save({k: v.clone().contiguous() for k, v in w.items()}, os.path.join(out, "pytorch_model.bin"))
    ints = [synthetic_audio(n, seed + i) for i, n in enumerate(lengths)]
    for i, samples in enumerate(ints):
        write_wav(os.path.join(out, f"input{'' if i == 0 else i + 1}.wav"), samples)
    waves = [torch.from_numpy(s.astype(np.float32) / 32768.0) for s in ints]

    with torch.no_grad():
        extractor = torchaudio_model(c, w).feature_extractor
        _, frames = extractor(torch.zeros(len(lengths), max(lengths)), torch.tensor(lengths))
        total_frames = extractor(torch.zeros(1, max(lengths)), None)[0].shape[1]
    rng = np.random.default_rng(seed)
    mask = span_mask(frames.tolist(), total_frames, c["mask_time_prob"], c["mask_time_length"], rng)
    negatives = distractors(mask, c["num_negatives"], rng)
    G, V = c["num_codevector_groups"], c["num_codevectors_per_group"]
    noise = gumbel_noise((len(lengths), total_frames, G, V), generator)

    r, gradients = reference(c, w, waves, lengths, mask, negatives, noise, fixture, torch.float32)
    # Self-check against the same computation in float64: catches a broken kernel of the local PyTorch build.
    r64, gradients64 = reference(c, w, waves, lengths, mask, negatives, noise, fixture, torch.float64)
    drift = max(float((g.double() - gradients64[k]).abs().max()) / max(1.0, float(gradients64[k].abs().max()))
                for k, g in gradients.items())
    drift = max([drift] + [abs(float(r[k]) - float(r64[k])) / max(1.0, abs(float(r64[k])))
                           for k in ("total", "contrastive", "diversity", "penalty", "prob_perplexity")])
    assert drift < 1e-5, f"float32 and float64 references differ by {drift}: a broken PyTorch kernel?"
    dead = [k for k, g in gradients.items() if not g.abs().sum() > 0]
    assert not dead, f"parameters without gradient: {dead}"
    assert r["gumbel_gap"] > 1e-3, "near-tie in the Gumbel argmax; change the seed"
    assert r["neg_is_pos"] > 0, "no distractor equals its positive; the -inf rule would go untested"

    def save(file, array):
        np.save(os.path.join(train, file), np.ascontiguousarray(array))

    save("time_mask.npy", mask.astype(np.int64))
    save("distractors.npy", negatives.astype(np.int64))
    save("gumbel_noise.npy", noise.numpy().astype(np.float32))
    save("logits.npy", r["logits"].detach().numpy().astype(np.float32))
    save("code_indices.npy", r["codes"].numpy().astype(np.int64))
    save("projected_states.npy", r["projected_states"].detach().numpy().astype(np.float32))
    save("projected_quantized.npy", r["projected_quantized"].detach().numpy().astype(np.float32))
    torch.save(gradients, os.path.join(train, "gradients.bin"))
    summary = {
        "gumbel_temperature": fixture["gumbel_temperature"], "feature_penalty_weight": fixture["feature_penalty_weight"],
        "lengths": list(lengths), "frames": r["frames"], "masked_frames": r["masked"], "neg_is_pos": r["neg_is_pos"],
        "contrastive": float(r["contrastive"]), "diversity": float(r["diversity"]), "feature_penalty": float(r["penalty"]),
        "prob_perplexity": float(r["prob_perplexity"]), "code_perplexity": float(r["code_perplexity"]),
        "loss_hf": float(r["loss_hf"]), "loss_total": float(r["total"]),
    }
    with open(os.path.join(train, "losses.json"), "w") as f:
        json.dump(summary, f, indent=2)
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(README.format(name=name, c=c, fixture=fixture, summary=summary, drift=drift, K=c["num_negatives"],
                              B=len(lengths), T=total_frames, G=G, V=V, D=c["proj_codevector_dim"]))
    norms = {k: float(g.abs().max()) for k, g in gradients.items()}
    print(name, json.dumps(summary))
    print("  float32 vs float64 reference:", drift)
    print("  smallest/largest max|grad|:", min(norms.items(), key=lambda kv: kv[1]), max(norms.items(), key=lambda kv: kv[1]),
          "gumbel gap", r["gumbel_gap"])


if __name__ == "__main__":
    torch.set_num_threads(1)
    F.gelu = exact_gelu
    for i, (fixture_name, fixture) in enumerate(FIXTURES.items()):
        make(fixture_name, fixture, seed=100 + i)
