"""Writes the all-MiniLM-L6-v2 encoder as ONNX graphs for ONNX Runtime, built from the checked
model.safetensors (no ONNX export of this model is published on PyPI, and exporting through
torch would need torch). Only numpy is needed: the protobuf is written here, field by field.

    python3 scripts/minilm-onnx.py models/all-minilm-l6-v2

writes encoder-f32.onnx (the same arithmetic as crates/dossier/src/embed/bert.rs) and
encoder-int8.onnx (the dense layers as ONNX Runtime's DynamicQuantizeMatMul: weights int8 per
output channel, inputs quantised per batch at run time) into that folder. Both take input_ids and
attention_mask (int64, batch x length) and give state_0 (embeddings) .. state_6 (last layer).
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

FLOAT, UINT8, INT8, INT64 = 1, 2, 3, 7


# Protobuf wire format: each field is a key (number << 3 | wire type) then its value.
def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_int(number, n):
    return varint(number << 3) + varint(n)


def field_bytes(number, data):
    if isinstance(data, str):
        data = data.encode()
    return varint(number << 3 | 2) + varint(len(data)) + data


def field_float(number, x):
    return varint(number << 3 | 5) + struct.pack('<f', x)


# ONNX messages (onnx.proto field numbers).
def tensor(name, array):
    kind = {np.float32: FLOAT, np.uint8: UINT8, np.int8: INT8, np.int64: INT64}[array.dtype.type]
    dims = b''.join(field_int(1, d) for d in array.shape)
    return dims + field_int(2, kind) + field_bytes(8, name) + field_bytes(9, np.ascontiguousarray(array).tobytes())


def attribute(name, value):
    if isinstance(value, float):
        return field_bytes(1, name) + field_float(2, value) + field_int(20, 1)
    if isinstance(value, int):
        return field_bytes(1, name) + field_int(3, value) + field_int(20, 2)
    return field_bytes(1, name) + b''.join(field_int(8, v) for v in value) + field_int(20, 7)


def value_info(name, kind, dims):
    shape = b''.join(field_bytes(1, field_bytes(2, d)) for d in dims)
    tensor_type = field_int(1, kind) + field_bytes(2, shape)
    return field_bytes(1, name) + field_bytes(2, field_bytes(1, tensor_type))


def load_safetensors(path):
    raw = Path(path).read_bytes()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    weights = {}
    for key, v in header.items():
        if key == '__metadata__':
            continue
        start, end = v['data_offsets']
        dtype = {'F32': np.float32, 'I64': np.int64}[v['dtype']]
        weights[key] = np.frombuffer(raw[8 + n + start:8 + n + end], dtype=dtype).reshape(v['shape'])
    return weights


class Graph:
    def __init__(self, weights, int8):
        self.w, self.int8 = weights, int8
        self.nodes, self.inits = [], []

    def init(self, name, array):
        self.inits.append(tensor(name, array))
        return name

    def const(self, name, values, dtype):
        return self.init(name, np.array(values, dtype))

    def node(self, op, inputs, domain='', out=None, **attrs):
        out = out or f'{op}_{len(self.nodes)}'
        body = b''.join(field_bytes(1, i) for i in inputs) + field_bytes(2, out)
        body += field_bytes(3, f'n{len(self.nodes)}') + field_bytes(4, op)
        body += b''.join(field_bytes(5, attribute(k, v)) for k, v in attrs.items())
        if domain:
            body += field_bytes(7, domain)
        self.nodes.append(body)
        return out

    def linear(self, x, p):
        weight = self.w[p + '.weight'].T  # (inputs, outputs)
        bias = self.init(p + '.bias', self.w[p + '.bias'])
        if not self.int8:
            return self.node('Add', [self.node('MatMul', [x, self.init(p + '.weight', weight)]), bias])
        # Symmetric per output channel: zero maps to zero, the largest weight to +-127.
        scale = np.maximum(np.abs(weight).max(axis=0), 1e-12) / 127
        q = np.clip(np.round(weight / scale), -127, 127).astype(np.int8)
        return self.node('DynamicQuantizeMatMul', [
            x, self.init(p + '.weight', q), self.init(p + '.scale', scale.astype(np.float32)),
            self.init(p + '.zero', np.zeros(len(scale), np.int8)), bias], domain='com.microsoft')

    def norm(self, x, p, eps):
        return self.node('LayerNormalization', [
            x, self.init(p + '.weight', self.w[p + '.weight']), self.init(p + '.bias', self.w[p + '.bias'])],
            axis=-1, epsilon=float(eps))


def build(model_dir, int8):
    w = load_safetensors(model_dir / 'model.safetensors')
    cfg = json.loads((model_dir / 'config.json').read_text())
    hidden, heads, eps = cfg['hidden_size'], cfg['num_attention_heads'], cfg['layer_norm_eps']
    g = Graph(w, int8)
    e = 'embeddings.'
    x = g.node('Gather', [g.init(e + 'words', w[e + 'word_embeddings.weight']), 'input_ids'])
    length = g.node('Slice', [g.node('Shape', ['input_ids']), g.const('c1', [1], np.int64), g.const('c2', [2], np.int64)])
    positions = g.node('Slice', [g.init(e + 'positions', w[e + 'position_embeddings.weight']),
                                 g.const('c0', [0], np.int64), length, g.const('axis0', [0], np.int64)])
    x = g.node('Add', [x, positions])
    x = g.node('Add', [x, g.init(e + 'type0', w[e + 'token_type_embeddings.weight'][0])])
    x = g.norm(x, e + 'LayerNorm', eps)
    # Padding gets -1e4 before the softmax, as in bert.rs.
    mask = g.node('Cast', ['attention_mask'], to=FLOAT)
    mask = g.node('Mul', [g.node('Sub', [mask, g.const('one', 1.0, np.float32)]), g.const('big', 1e4, np.float32)])
    mask = g.node('Unsqueeze', [mask, g.const('axes12', [1, 2], np.int64)])
    split = g.const('split', [0, 0, heads, hidden // heads], np.int64)
    join = g.const('join', [0, 0, hidden], np.int64)
    root = g.const('root', np.sqrt(hidden // heads), np.float32)
    sqrt2 = g.const('sqrt2', np.sqrt(2.0), np.float32)
    half = g.const('half', 0.5, np.float32)
    states = [g.node('Identity', [x], out='state_0')]
    for i in range(cfg['num_hidden_layers']):
        p = f'encoder.layer.{i}.'
        def by_head(name, perm):
            return g.node('Transpose', [g.node('Reshape', [g.linear(x, p + 'attention.self.' + name), split])], perm=perm)
        q, k, v = by_head('query', [0, 2, 1, 3]), by_head('key', [0, 2, 3, 1]), by_head('value', [0, 2, 1, 3])
        scores = g.node('Add', [g.node('Div', [g.node('MatMul', [q, k]), root]), mask])
        context = g.node('MatMul', [g.node('Softmax', [scores], axis=-1), v])
        context = g.node('Reshape', [g.node('Transpose', [context], perm=[0, 2, 1, 3]), join])
        x = g.norm(g.node('Add', [g.linear(context, p + 'attention.output.dense'), x]), p + 'attention.output.LayerNorm', eps)
        inner = g.linear(x, p + 'intermediate.dense')
        erf = g.node('Erf', [g.node('Div', [inner, sqrt2])])
        gelu = g.node('Mul', [g.node('Mul', [inner, g.node('Add', [erf, g.const(f'one{i}', 1.0, np.float32)])]), half])
        x = g.norm(g.node('Add', [g.linear(gelu, p + 'output.dense'), x]), p + 'output.LayerNorm', eps)
        states.append(g.node('Identity', [x], out=f'state_{i + 1}'))
    inputs = [value_info(n, INT64, ['batch', 'length']) for n in ('input_ids', 'attention_mask')]
    outputs = [value_info(s, FLOAT, ['batch', 'length', str(hidden)]) for s in states]
    body = b''.join(field_bytes(1, n) for n in g.nodes) + field_bytes(2, 'all-minilm-l6-v2')
    body += b''.join(field_bytes(5, t) for t in g.inits)
    body += b''.join(field_bytes(11, v) for v in inputs) + b''.join(field_bytes(12, v) for v in outputs)
    opsets = field_bytes(8, field_bytes(1, '') + field_int(2, 17))
    if int8:
        opsets += field_bytes(8, field_bytes(1, 'com.microsoft') + field_int(2, 1))
    return field_int(1, 8) + field_bytes(2, 'dossier scripts/minilm-onnx.py') + field_bytes(7, body) + opsets


if __name__ == '__main__':
    folder = Path(sys.argv[1])
    for name, int8 in (('encoder-f32.onnx', False), ('encoder-int8.onnx', True)):
        tmp = folder / (name + '.part')
        tmp.write_bytes(build(folder, int8))
        tmp.rename(folder / name)
