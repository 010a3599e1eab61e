// The access-log file (ACCESS_LOG_FILE): batches appended, one write call per batch, by one
// process only — the primary, which the machine-lane workers hand their lines to
// (access-log-shipper.ts) — so lines of different processes can never interleave inside a line,
// whatever a batch's size (O_APPEND makes each write land at the end, but a write larger than
// the kernel does at once is not atomic against other writers; one writer needs no such promise).
// Created with mode 0600 (the lines name clients and their addresses). Log rotation: before each
// batch the path is compared with the open file (device and inode); when it was renamed or
// removed (logrotate's default `create`), the file is opened again at the path. SIGHUP asks for
// the same at the next batch. `copytruncate` works too: appends continue at the new end.
import { open, stat, type FileHandle } from "node:fs/promises";
import type { BatchWriter } from "./access-log-queue.ts";

export class FileBatchWriter implements BatchWriter {
  private handle: FileHandle | null = null;
  private identity: { dev: number; ino: number } | null = null;
  private reopenAsked = false;

  constructor(private readonly path: string) {}

  /** The next batch goes to the file at the path, opened again (SIGHUP). */
  reopen(): void {
    this.reopenAsked = true;
  }

  async write(batch: string): Promise<void> {
    const handle = await this.current();
    await handle.appendFile(batch, "utf8");
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    this.identity = null;
    await handle?.close();
  }

  /** The open file, unless the path names another file now (rotated) or a reopen was asked for. */
  private async current(): Promise<FileHandle> {
    if (this.handle && !this.reopenAsked && (await this.pathIsOpenFile())) return this.handle;
    this.reopenAsked = false;
    await this.close();
    const handle = await open(this.path, "a", 0o600);
    try {
      const { dev, ino } = await handle.stat();
      this.identity = { dev, ino };
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handle = handle;
    return handle;
  }

  private async pathIsOpenFile(): Promise<boolean> {
    try {
      const { dev, ino } = await stat(this.path);
      return dev === this.identity?.dev && ino === this.identity.ino;
    } catch {
      return false; // moved away or removed: a new file is created at the path
    }
  }
}
