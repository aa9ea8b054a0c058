"""Independent reader of TensorBoard event files (stdlib only): checks TFRecord framing and masked
CRC-32C, decodes Event/Summary protobufs, prints JSON [{wall_time, step, file_version | values}].
Usage: python3 read_tfevents.py <file>. Used by @cornu/core's tensorboard test when python3 exists."""
import json, struct, sys

def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF

def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF

def fields(buf):
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            val, i = varint(buf, i)
        elif wire == 1:
            val = buf[i:i + 8]; i += 8
        elif wire == 5:
            val = buf[i:i + 4]; i += 4
        elif wire == 2:
            n, i = varint(buf, i); val = buf[i:i + n]; i += n
        else:
            raise ValueError("wire type %d" % wire)
        yield num, wire, val

def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]; i += 1
        result |= (b & 0x7F) << shift; shift += 7
        if not b & 0x80:
            return result, i

def histo(buf):
    out = {}
    names = {1: "min", 2: "max", 3: "num", 4: "sum", 5: "sum_squares"}
    for num, wire, val in fields(buf):
        if num in names:
            out[names[num]] = struct.unpack("<d", val)[0]
        elif num in (6, 7):
            out["bucket_limit" if num == 6 else "bucket"] = list(struct.unpack("<%dd" % (len(val) // 8), val))
    return out

events = []
data = open(sys.argv[1], "rb").read()
pos = 0
while pos < len(data):
    header = data[pos:pos + 8]
    (length,) = struct.unpack("<Q", header)
    (hcrc,) = struct.unpack("<I", data[pos + 8:pos + 12])
    assert hcrc == masked(header), "bad length crc"
    body = data[pos + 12:pos + 12 + length]
    (bcrc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
    assert bcrc == masked(body), "bad data crc"
    pos += 16 + length
    event = {}
    for num, wire, val in fields(body):
        if num == 1: event["wall_time"] = struct.unpack("<d", val)[0]
        elif num == 2: event["step"] = val
        elif num == 3: event["file_version"] = val.decode()
        elif num == 5:
            values = []
            for _, _, v in fields(val):
                item = {}
                for n2, _, v2 in fields(v):
                    if n2 == 1: item["tag"] = v2.decode()
                    elif n2 == 2: item["simple_value"] = struct.unpack("<f", v2)[0]
                    elif n2 == 5: item["histo"] = histo(v2)
                values.append(item)
            event["values"] = values
    events.append(event)
print(json.dumps(events))
