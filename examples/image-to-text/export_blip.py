#!/usr/bin/env python3
"""Export Salesforce/blip-image-captioning-large to ONNX for this example's Java captioner.

The original Python tool served BLIP-large through transformers. BLIP has no official ONNX
export, so this script writes one in the layout the Java captioner reads:

    encoder_model.onnx        pixel_values [batch, 3, 384, 384] -> last_hidden_state
    decoder_model.onnx        input_ids [batch, seq], encoder_hidden_states -> logits
                              (no key/value cache: the Java generator feeds the whole
                              sequence at every step when the decoder declares no cache)
    config.json, generation_config.json   decoder start ([DEC]) and end ([SEP]) token ids
    preprocessor_config.json  size 384, bicubic, CLIP mean and std
    tokenizer.json            BERT WordPiece, for decoding

Requirements (not needed by anything else in this repository, and not installable on
machines that reach only Maven, npm and Debian): Python 3.9+, torch, transformers,
and optionally onnxruntime + Pillow for --check.

    pip install torch transformers onnxruntime pillow
    python examples/image-to-text/export_blip.py examples/image-to-text/models/blip-large
    python examples/image-to-text/export_blip.py examples/image-to-text/models/blip-large --check photo.jpg
    WORKER_ARGS="--set model=examples/image-to-text/models/blip-large" ./run_all.sh image-to-text 1
"""
import argparse
import json
from pathlib import Path

import torch
from transformers import BlipForConditionalGeneration, BlipProcessor


class VisionEncoder(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.vision = model.vision_model

    def forward(self, pixel_values):
        return self.vision(pixel_values=pixel_values, return_dict=True).last_hidden_state


class TextDecoder(torch.nn.Module):
    """BLIP's text decoder with cross-attention over the image, without a cache."""

    def __init__(self, model):
        super().__init__()
        self.text = model.text_decoder

    def forward(self, input_ids, encoder_hidden_states):
        return self.text(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            encoder_hidden_states=encoder_hidden_states,
            use_cache=False,
            return_dict=True,
        ).logits


def export(model_id: str, out: Path, opset: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    processor = BlipProcessor.from_pretrained(model_id)
    model = BlipForConditionalGeneration.from_pretrained(model_id).eval()
    size = processor.image_processor.size
    pixels = torch.zeros(1, 3, size["height"], size["width"])
    text = model.config.text_config

    with torch.no_grad():
        hidden = VisionEncoder(model)(pixels)
        # dynamo=False: the TorchScript exporter handles BLIP's attention without onnxscript
        torch.onnx.export(
            VisionEncoder(model), (pixels,), str(out / "encoder_model.onnx"),
            input_names=["pixel_values"], output_names=["last_hidden_state"],
            dynamic_axes={"pixel_values": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"}},
            opset_version=opset, dynamo=False)
        ids = torch.tensor([[text.bos_token_id, 1037, 2158]], dtype=torch.long)
        torch.onnx.export(
            TextDecoder(model), (ids, hidden), str(out / "decoder_model.onnx"),
            input_names=["input_ids", "encoder_hidden_states"], output_names=["logits"],
            dynamic_axes={"input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
                          "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
                          "logits": {0: "batch_size", 1: "decoder_sequence_length"}},
            opset_version=opset, dynamo=False)

    # transformers' BLIP generate starts from [DEC] (bos) and stops at [SEP]
    ids = {"decoder_start_token_id": text.bos_token_id, "bos_token_id": text.bos_token_id,
           "eos_token_id": text.sep_token_id, "pad_token_id": text.pad_token_id}
    (out / "config.json").write_text(json.dumps({"model_type": "blip", **ids}, indent=2))
    (out / "generation_config.json").write_text(json.dumps({**ids, "max_length": 40}, indent=2))
    processor.image_processor.save_pretrained(out)  # preprocessor_config.json
    processor.tokenizer.save_pretrained(out)        # tokenizer.json (fast tokenizer)
    print(f"wrote {model_id} to {out}")


def check(model_id: str, out: Path, image_path: str) -> None:
    """Greedy caption from ONNX Runtime next to transformers' own, for the same image."""
    import numpy as np
    import onnxruntime as ort
    from PIL import Image

    processor = BlipProcessor.from_pretrained(model_id)
    model = BlipForConditionalGeneration.from_pretrained(model_id).eval()
    inputs = processor(images=Image.open(image_path).convert("RGB"), return_tensors="pt")
    with torch.no_grad():
        expected = processor.decode(model.generate(**inputs, max_new_tokens=30)[0], skip_special_tokens=True)

    config = json.loads((out / "config.json").read_text())
    encoder = ort.InferenceSession(str(out / "encoder_model.onnx"))
    decoder = ort.InferenceSession(str(out / "decoder_model.onnx"))
    hidden = encoder.run(None, {"pixel_values": inputs.pixel_values.numpy()})[0]
    tokens = [config["decoder_start_token_id"]]
    for _ in range(30):
        logits = decoder.run(None, {"input_ids": np.array([tokens], dtype=np.int64),
                                    "encoder_hidden_states": hidden})[0]
        nxt = int(logits[0, -1].argmax())
        if nxt == config["eos_token_id"]:
            break
        tokens.append(nxt)
    actual = processor.decode(tokens[1:], skip_special_tokens=True)
    print(f"transformers: {expected}\nonnx:         {actual}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="target folder, e.g. examples/image-to-text/models/blip-large")
    parser.add_argument("--model", default="Salesforce/blip-image-captioning-large")
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--check", metavar="IMAGE", help="compare with transformers on this image")
    args = parser.parse_args()
    if not (args.out / "decoder_model.onnx").exists():
        export(args.model, args.out, args.opset)
    if args.check:
        check(args.model, args.out, args.check)
