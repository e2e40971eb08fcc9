import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * The job's output log, kept under a size limit: when the log reaches half the limit it becomes the previous
 * log (replacing the one before) and a new log starts, so a job that prints a gigabyte keeps its most recent
 * output and never fills the disk. A write that fails (a full disk) is counted, not fatal: the job goes on.
 */
export class LogWriter {
  private fd: number;
  private bytesInCurrent = 0;
  /** Bytes of output that are no longer kept (rotated away, or lost to a failed write). */
  droppedBytes = 0;
  writeErrors = 0;

  constructor(
    private readonly file: string,
    private readonly previousFile: string,
    private readonly limitBytes: number,
    private readonly onDropped: (droppedBytes: number) => void,
  ) {
    this.fd = openSync(file, 'a', 0o600);
  }

  write(chunk: Buffer): void {
    if (this.bytesInCurrent + chunk.length > this.limitBytes / 2 && this.bytesInCurrent > 0) this.rotate();
    try {
      writeSync(this.fd, chunk);
      this.bytesInCurrent += chunk.length;
    } catch {
      this.writeErrors += 1;
      this.drop(chunk.length);
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    try {
      closeSync(this.fd);
      renameSync(this.file, this.previousFile);
    } catch {
      // Keep writing to whatever file we can open below.
    }
    this.drop(this.rotatedAwayBytes);
    this.rotatedAwayBytes = this.bytesInCurrent;
    this.fd = openSync(this.file, 'w', 0o600);
    this.bytesInCurrent = 0;
  }

  /** Bytes in the previous log: dropped for good at the next rotation. */
  private rotatedAwayBytes = 0;

  private drop(bytes: number): void {
    if (bytes <= 0) return;
    this.droppedBytes += bytes;
    this.onDropped(this.droppedBytes);
  }
}
