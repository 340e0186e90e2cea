/**
 * One direction of a TCP stream put back in order. Positions are relative sequence numbers
 * (data starts at 1). Out-of-order segments wait in a bounded buffer; data the peer acknowledged
 * but that never came is a gap, reported and skipped so the stream goes on.
 */

const MAX_BUFFERED = 2 * 1024 * 1024;

export class TcpReassembler {
  /** The next position to deliver. */
  private next = 1;
  private pending: Array<{ seq: number; data: Buffer; ts: number }> = [];
  private buffered = 0;

  constructor(
    private readonly deliver: (buf: Buffer, ts: number) => void,
    /** `report`: whether Zeek would report this gap (missed_bytes, history G). */
    private readonly onGap: (len: number, report: boolean) => void,
  ) {}

  get position(): number {
    return this.next;
  }

  add(seq: number, data: Buffer, _wireLen: number, ts: number): void {
    if (data.length === 0) return;
    let end = seq + data.length;
    if (end <= this.next) return; // retransmission of delivered data
    if (seq < this.next) {
      data = data.subarray(this.next - seq);
      seq = this.next;
      end = seq + data.length;
    }
    if (seq === this.next) {
      this.next = end;
      this.deliver(data, ts);
      this.drain();
      return;
    }
    if (this.buffered + data.length > MAX_BUFFERED) {
      // Too much waiting on a hole that will not fill: skip the hole.
      this.skipTo(Math.min(seq, this.pending.length > 0 ? this.pending[0]!.seq : seq), true);
      if (seq < this.next) {
        if (end <= this.next) return;
        data = data.subarray(this.next - seq);
        seq = this.next;
      }
      if (seq === this.next) {
        this.next = seq + data.length;
        this.deliver(data, ts);
        this.drain();
        return;
      }
    }
    // Keep a copy: the packet buffer is reused by the capture reader.
    this.pending.push({ seq, data: Buffer.from(data), ts });
    this.buffered += data.length;
    if (this.pending.length > 1 && this.pending[this.pending.length - 2]!.seq > seq) this.pending.sort((a, b) => a.seq - b.seq);
  }

  /** The peer acknowledged everything before `ack`: what we do not have is a gap. */
  ackReceived(ack: number, report: boolean): void {
    if (ack <= this.next) return;
    const firstPending = this.pending.length > 0 ? this.pending[0]!.seq : Infinity;
    const to = Math.min(ack, firstPending);
    if (to > this.next) this.skipTo(to, report);
    this.drain();
  }

  private skipTo(to: number, report: boolean): void {
    if (to <= this.next) return;
    const len = to - this.next;
    this.next = to;
    this.onGap(len, report);
  }

  private drain(): void {
    while (this.pending.length > 0) {
      const p = this.pending[0]!;
      if (p.seq > this.next) return;
      this.pending.shift();
      this.buffered -= p.data.length;
      const end = p.seq + p.data.length;
      if (end <= this.next) continue;
      const data = p.seq < this.next ? p.data.subarray(this.next - p.seq) : p.data;
      this.next = end;
      this.deliver(data, p.ts);
    }
  }

  /** End of the connection: hand over what waits behind holes (the holes are not counted). */
  flush(): void {
    while (this.pending.length > 0) {
      const p = this.pending[0]!;
      if (p.seq > this.next) {
        this.onGap(p.seq - this.next, false);
        this.next = p.seq;
      }
      this.drain();
    }
  }
}
