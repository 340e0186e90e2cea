/**
 * Link layers down to the network layer: which bytes of a frame are the IP packet, and the VLAN
 * tags and MAC addresses on the way. Ethernet (with 802.1Q, QinQ, MPLS, PPPoE, PBB, Cisco
 * FabricPath, LLC/SNAP), raw IP, BSD loopback/null, PPP, Linux cooked (SLL, SLL2), 802.11 with
 * or without radiotap, NFLOG.
 */

export interface L3 {
  /** 4 or 6; 0 when the frame carries no IP. */
  version: 0 | 4 | 6;
  /** Where the IP header starts in the frame. */
  offset: number;
  vlan?: number;
  innerVlan?: number;
  l2src?: string;
  l2dst?: string;
  /** Offset of the outermost Ethernet header in `frame`, for the MAC addresses. */
  l2off?: number;
  frame?: Buffer;
  /** Why the frame was not followed to IP, for frames that should have been. */
  problem?: string;
}

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  RAW_OLD1: 12,
  RAW_OLD2: 14,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  RAW: 101,
  IEEE802_11: 105,
  LOOP: 108,
  LINUX_SLL: 113,
  IEEE802_11_RADIOTAP: 127,
  NFLOG: 239,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NONE: L3 = newL3();

/** A link-layer result with every field present, so all of them share one object shape (faster). */
export function newL3(): L3 {
  return { version: 0, offset: 0, vlan: undefined, innerVlan: undefined, l2src: undefined, l2dst: undefined, l2off: undefined, frame: undefined, problem: undefined };
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

export function mac(b: Buffer, o: number): string {
  return `${HEX2[b[o]!]}:${HEX2[b[o + 1]!]}:${HEX2[b[o + 2]!]}:${HEX2[b[o + 3]!]}:${HEX2[b[o + 4]!]}:${HEX2[b[o + 5]!]}`;
}

function byVersion(b: Buffer, o: number, out: L3): L3 {
  if (o >= b.length) return { ...out, version: 0, problem: 'frame ends before the IP header' };
  const v = b[o]! >> 4;
  if (v === 4 || v === 6) {
    out.version = v;
    out.offset = o;
    return out;
  }
  return { ...out, version: 0, problem: `IP version ${v}` };
}

/** From an Ethernet type field at `o` (the type itself at b[o..o+2]) onwards. */
export function fromEthertype(b: Buffer, type: number, o: number, out: L3, depth = 0): L3 {
  if (depth > 8) return { ...out, version: 0, problem: 'too many nested link headers' };
  switch (type) {
    case 0x0800:
      return byVersion(b, o, out);
    case 0x86dd:
      return byVersion(b, o, out);
    case 0x8100:
    case 0x88a8:
    case 0x9100:
    case 0x9200: {
      if (o + 4 > b.length) return { ...out, version: 0, problem: 'VLAN tag truncated' };
      const id = b.readUInt16BE(o) & 0x0fff;
      if (out.vlan === undefined) out.vlan = id;
      else if (out.innerVlan === undefined) out.innerVlan = id;
      return fromEthertype(b, b.readUInt16BE(o + 2), o + 4, out, depth + 1);
    }
    case 0x8847:
    case 0x8848: {
      // MPLS: labels until bottom-of-stack, then IP guessed from the version nibble.
      let p = o;
      for (let i = 0; i < 16; i++) {
        if (p + 4 > b.length) return { ...out, version: 0, problem: 'MPLS label truncated' };
        const bos = b[p + 2]! & 1;
        p += 4;
        if (bos) return byVersion(b, p, out);
      }
      return { ...out, version: 0, problem: 'MPLS stack too deep' };
    }
    case 0x8864: {
      // PPPoE session: 6-byte header, then a PPP protocol number.
      if (o + 8 > b.length) return { ...out, version: 0, problem: 'PPPoE header truncated' };
      return fromPppProtocol(b, b.readUInt16BE(o + 6), o + 8, out);
    }
    case 0x88e7: {
      // Provider backbone bridging: 4-byte I-TAG, then a whole customer Ethernet frame.
      return ethernet(b, o + 4, out, depth + 1);
    }
    case 0x8903: {
      // Cisco FabricPath: after the outer header's type comes a 2-byte FTAG/TTL word, then the
      // classical Ethernet frame.
      return ethernet(b, o + 2, out, depth + 1);
    }
    case 0x6558:
      // Transparent Ethernet bridging (inside GRE).
      return ethernet(b, o, out, depth + 1);
    default:
      return { ...out, version: 0 };
  }
}

export function fromPppProtocol(b: Buffer, proto: number, o: number, out: L3): L3 {
  if (proto === 0x0021 || proto === 0x0057) return byVersion(b, o, out);
  return { ...out, version: 0 };
}

export function ethernet(b: Buffer, o: number, out: L3, depth = 0): L3 {
  if (o + 14 > b.length) return { ...out, version: 0, problem: 'Ethernet header truncated' };
  // MAC addresses are turned into text only when a connection is created (see l2Text).
  if (out.l2off === undefined) {
    out.l2off = o;
    out.frame = b;
  }
  const type = b.readUInt16BE(o + 12);
  if (type >= 0x0600) return fromEthertype(b, type, o + 14, out, depth);
  // 802.3 length field: LLC, maybe SNAP with an Ethernet type.
  const p = o + 14;
  if (p + 8 <= b.length && b[p] === 0xaa && b[p + 1] === 0xaa && b[p + 2] === 0x03) {
    return fromEthertype(b, b.readUInt16BE(p + 6), p + 8, out, depth);
  }
  return { ...out, version: 0 };
}

function ieee80211(b: Buffer, o: number, out: L3): L3 {
  if (o + 24 > b.length) return { ...out, version: 0, problem: '802.11 header truncated' };
  const fc = b[o]!;
  const flags = b[o + 1]!;
  const type = (fc >> 2) & 3;
  const subtype = fc >> 4;
  if (type !== 2) return NONE; // management and control frames carry no IP
  if (flags & 0x40) return NONE; // protected (encrypted) payload
  let len = 24;
  if ((flags & 3) === 3) len += 6; // four-address frame
  if (subtype & 0x8) len += 2; // QoS control
  if (subtype & 0x4) return NONE; // null-data frames
  const p = o + len;
  if (p + 8 <= b.length && b[p] === 0xaa && b[p + 1] === 0xaa && b[p + 2] === 0x03) {
    return fromEthertype(b, b.readUInt16BE(p + 6), p + 8, out);
  }
  return NONE;
}

function nflog(b: Buffer, out: L3): L3 {
  // 4-byte header, then TLVs (little-endian length including the 4-byte TLV header, type);
  // type 9 is the packet payload. TLVs are padded to 4 bytes.
  if (b.length < 4) return { ...out, version: 0, problem: 'NFLOG header truncated' };
  let p = 4;
  while (p + 4 <= b.length) {
    const len = b.readUInt16LE(p);
    const type = b.readUInt16LE(p + 2);
    if (len < 4) return { ...out, version: 0, problem: 'NFLOG TLV length below 4' };
    if (type === 9) return byVersion(b, p + 4, out);
    p += (len + 3) & ~3;
  }
  return NONE;
}

/** Finds the IP packet in a frame of the given link type. */
export function decodeLink(linktype: number, b: Buffer): L3 {
  const out: L3 = newL3();
  switch (linktype) {
    case LINKTYPE.ETHERNET:
      return ethernet(b, 0, out);
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OLD1:
    case LINKTYPE.RAW_OLD2:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return byVersion(b, 0, out);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (b.length < 4) return { ...out, problem: 'loopback header truncated' };
      // The family is in the capturing host's byte order (NULL) or network order (LOOP): accept both.
      const fam = linktype === LINKTYPE.LOOP ? b.readUInt32BE(0) : b.readUInt32LE(0) > 0xffff ? b.readUInt32BE(0) : b.readUInt32LE(0);
      if (fam === 2 || fam === 24 || fam === 28 || fam === 30) return byVersion(b, 4, out);
      return out;
    }
    case LINKTYPE.PPP:
    case LINKTYPE.PPP_HDLC: {
      let p = 0;
      if (b.length >= 2 && b[0] === 0xff && b[1] === 0x03) p = 2;
      if (p + 2 > b.length) return { ...out, problem: 'PPP header truncated' };
      // A protocol field may be compressed to one byte (odd value).
      if (b[p]! & 1) return fromPppProtocol(b, b[p]!, p + 1, out);
      return fromPppProtocol(b, b.readUInt16BE(p), p + 2, out);
    }
    case LINKTYPE.PPP_ETHER:
      if (b.length < 8) return { ...out, problem: 'PPPoE header truncated' };
      return fromPppProtocol(b, b.readUInt16BE(6), 8, out);
    case LINKTYPE.LINUX_SLL:
      if (b.length < 16) return { ...out, problem: 'SLL header truncated' };
      return fromEthertype(b, b.readUInt16BE(14), 16, out);
    case LINKTYPE.LINUX_SLL2:
      if (b.length < 20) return { ...out, problem: 'SLL2 header truncated' };
      return fromEthertype(b, b.readUInt16BE(0), 20, out);
    case LINKTYPE.IEEE802_11:
      return ieee80211(b, 0, out);
    case LINKTYPE.IEEE802_11_RADIOTAP: {
      if (b.length < 4) return { ...out, problem: 'radiotap header truncated' };
      const hl = b.readUInt16LE(2);
      // Frames with the radiotap "FCS at end" flag carry 4 trailing bytes; IP lengths bound us anyway.
      return ieee80211(b, hl, out);
    }
    case LINKTYPE.NFLOG:
      return nflog(b, out);
    default:
      return { ...out, problem: `link type ${linktype} not supported` };
  }
}
