import { NotImplementedError, ValueError } from '../errors/errors.js';

/**
 * A minimal, safe Python pickle reader (protocols 0-5, the opcodes numpy and cPickle write for
 * arrays, lists, dicts, tuples, ints, floats, strings and bytes).
 *
 * It never runs code: GLOBAL/STACK_GLOBAL produce a `PickleGlobal` marker, REDUCE a `PickleReduce`
 * record and BUILD attaches state to it; callers interpret those (see `ndarrayFromPickle`).
 * `_codecs.encode(text, 'latin1')` (how protocol 2 in Python 3 writes bytes) is decoded to bytes.
 * Written by hand because no maintained npm package reads pickles without executing them.
 */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

export class PickleReduce {
  state: unknown = undefined;
  constructor(
    readonly callable: unknown,
    readonly args: unknown[],
  ) {}
}

export type PickleValue = unknown;

const MARK = Symbol('mark');

export function unpickle(bytes: Uint8Array): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  let pos = 0;

  const readLine = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new ValueError('unpickle: truncated text opcode (no newline).');
    const line = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return line;
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > bytes.length) throw new ValueError(`unpickle: truncated stream at byte ${pos}.`);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u32 = (): number => {
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const i32 = (): number => {
    const v = view.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    const v = Number(view.getBigUint64(pos, true));
    pos += 8;
    return v;
  };
  const popMark = (): unknown[] => {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i] === MARK) {
        const items = stack.splice(i);
        items.shift();
        return items;
      }
    }
    throw new ValueError('unpickle: MARK not found.');
  };
  const top = (): unknown => stack[stack.length - 1];
  const readLong = (n: number): number => {
    const b = take(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    return Number(v);
  };
  const makeReduce = (callable: unknown, args: unknown[]): unknown => {
    if (
      callable instanceof PickleGlobal &&
      callable.module === '_codecs' &&
      callable.name === 'encode'
    ) {
      const text = String(args[0] ?? '');
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
      return out;
    }
    return new PickleReduce(callable, args);
  };

  for (;;) {
    const op = bytes[pos++];
    if (op === undefined) throw new ValueError('unpickle: stream ended without STOP.');
    switch (op) {
      case 0x80: // PROTO
        pos += 1;
        break;
      case 0x95: // FRAME
        pos += 8;
        break;
      case 0x2e: // STOP
        return stack.pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(take(1)[0]!);
        break;
      case 0x4d: // BININT2
        stack.push(view.getUint16(pos, true));
        pos += 2;
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x8a: // LONG1
        stack.push(readLong(take(1)[0]!));
        break;
      case 0x8b: // LONG4
        stack.push(readLong(u32()));
        break;
      case 0x49: {
        // INT (text)
        const line = readLine();
        stack.push(line === '01' ? true : line === '00' ? false : Number.parseInt(line, 10));
        break;
      }
      case 0x4c: // LONG (text)
        stack.push(Number.parseInt(readLine().replace(/L$/, ''), 10));
        break;
      case 0x46: // FLOAT (text)
        stack.push(Number.parseFloat(readLine()));
        break;
      case 0x47: // BINFLOAT (big-endian)
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x55: // SHORT_BINSTRING (py2 str: raw bytes)
        stack.push(take(take(1)[0]!).slice());
        break;
      case 0x54: // BINSTRING
        stack.push(take(i32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(take(1)[0]!).slice());
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()).slice());
        break;
      case 0x96: // BYTEARRAY8
        stack.push(take(u64()).slice());
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8.decode(take(take(1)[0]!)));
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8.decode(take(u32())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8.decode(take(u64())));
        break;
      case 0x53: {
        // STRING (text, quoted)
        const line = readLine();
        stack.push(line.slice(1, -1));
        break;
      }
      case 0x56: // UNICODE (raw-unicode-escape text)
        stack.push(readLine());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([stack.pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = stack.pop();
        const a = stack.pop();
        stack.push([a, b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = stack.pop();
        const b = stack.pop();
        const a = stack.pop();
        stack.push([a, b, c]);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const map = new Map<unknown, unknown>();
        for (let i = 0; i < items.length; i += 2) map.set(dictKey(items[i]), items[i + 1]);
        stack.push(map);
        break;
      }
      case 0x8f: // EMPTY_SET
        stack.push([]);
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        (top() as unknown[]).push(...items);
        break;
      }
      case 0x61: {
        // APPEND
        const v = stack.pop();
        (top() as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top() as unknown[];
        for (const item of items) list.push(item);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = stack.pop();
        const k = stack.pop();
        (top() as Map<unknown, unknown>).set(dictKey(k), v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const map = top() as Map<unknown, unknown>;
        for (let i = 0; i < items.length; i += 2) map.set(dictKey(items[i]), items[i + 1]);
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = readLine();
        stack.push(new PickleGlobal(module, readLine()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = stack.pop() as string;
        stack.push(new PickleGlobal(stack.pop() as string, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = stack.pop() as unknown[];
        stack.push(makeReduce(stack.pop(), args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = stack.pop() as unknown[];
        stack.push(new PickleReduce(stack.pop(), args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = stack.pop();
        const obj = top();
        if (obj instanceof PickleReduce) obj.state = state;
        break;
      }
      case 0x70: // PUT
        memo.set(Number.parseInt(readLine(), 10), top());
        break;
      case 0x71: // BINPUT
        memo.set(take(1)[0]!, top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
        stack.push(memo.get(Number.parseInt(readLine(), 10)));
        break;
      case 0x68: // BINGET
        stack.push(memo.get(take(1)[0]!));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memo.get(u32()));
        break;
      case 0x30: // POP
        stack.pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default:
        throw new NotImplementedError(
          `unpickle: opcode 0x${op.toString(16)} at byte ${pos - 1} is not supported by Cornu's pickle reader.`,
        );
    }
  }
}

/** Dict keys: bytes keys (py2 str) become latin1 strings so `map.get('data')` works. */
function dictKey(k: unknown): unknown {
  return k instanceof Uint8Array ? new TextDecoder('latin1').decode(k) : k;
}
