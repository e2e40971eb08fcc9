/**
 * The files of the Rescale stand-in: uploads (`POST /api/v2/files/contents/`, multipart/form-data, field `file` [V])
 * and the output files a job leaves, each kept on disk and described by the file object of the 2016 API docs [V]
 * (typeId 1 input, 5 output; `relativePath` of an output is its path under the job's work directory).
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { invalid, type JsonObject, notFound, RescaleError } from './rescale-errors.js';

export const INPUT_FILE = 1;
export const OUTPUT_FILE = 5;

export interface StoredFile {
  readonly id: string;
  /** Where its bytes are. */
  readonly source: string;
  /** The file object as `GET files/{id}/` gives it, without `downloadUrl` (which needs the server's address). */
  readonly resource: JsonObject;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A short random id of letters, as Rescale's are ('WvNKdb', 'OsKBd') [V the look; U how they are made]. */
export function shortId(length: number, taken: (id: string) => boolean): string {
  for (;;) {
    const id = [...randomBytes(length)].map((byte) => LETTERS[byte % LETTERS.length]).join('');
    if (!taken(id)) return id;
  }
}

/** Rescale's timestamps: ISO 8601 in UTC with microseconds ('2015-03-13T23:43:21.223052Z') [V]. */
export function rescaleDate(at = new Date()): string {
  return `${at.toISOString().slice(0, 23)}000Z`;
}

/** One part of a multipart/form-data body. */
interface Part {
  readonly name: string;
  readonly filename: string | undefined;
  readonly data: Buffer;
}

/** Reads a multipart/form-data body (RFC 7578); undefined when the content type is not multipart. */
export function readMultipart(contentType: string | undefined, body: Buffer): Part[] | undefined {
  const type = contentType ?? '';
  if (!/^multipart\/form-data/i.test(type)) return undefined;
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  // DRF's MultiPartParser failure [S].
  if (!boundary)
    throw new RescaleError(400, { detail: 'Multipart form parse error - Invalid boundary in multipart: None' });
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const chunk = body.subarray(start + 2, next - 2);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      if (name !== undefined) parts.push({ name, filename, data: chunk.subarray(headerEnd + 4) });
    }
    at = next;
  }
  return parts;
}

/** The files under `dir`, as paths relative to it with `/`, sorted. */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(folder).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(full);
      else if (stat?.isFile()) found.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return found;
}

export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly order: string[] = [];

  constructor(
    private readonly dir: string,
    /** The owner every file has (the account's e-mail). */
    private readonly owner: string,
    /** The user folder in storage paths ('user/user_OvdRk'). */
    private readonly userFolder: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  private newId(): string {
    return shortId(6, (id) => this.files.has(id));
  }

  private describe(
    id: string,
    name: string,
    source: string,
    typeId: number,
    storagePath: string,
    relativePath: string,
  ) {
    const bytes = readFileSync(source);
    const resource: JsonObject = {
      typeId,
      name,
      dateUploaded: rescaleDate(),
      relativePath,
      encodedEncryptionKey: randomBytes(32).toString('base64'),
      sharedWith: [],
      decryptedSize: bytes.length,
      owner: this.owner,
      path: storagePath,
      isUploaded: true,
      viewInBrowser: typeId === OUTPUT_FILE,
      id,
      isDeleted: false,
      md5: createHash('md5').update(bytes).digest('hex'),
      // [S] the storage a file lives in, as Interlink's v3 file model has it; the v2 shape is [U].
      storage: { id: 'pCTMk', storageType: 'S3Storage', encryptionType: 'default' },
    };
    const file: StoredFile = { id, source, resource };
    this.files.set(id, file);
    this.order.push(id);
    return file;
  }

  /** An upload: the `file` part of a multipart body. DRF's words when it is missing [S]. */
  upload(parts: Part[] | undefined, contentType: string | undefined): StoredFile {
    if (parts === undefined)
      throw new RescaleError(415, { detail: `Unsupported media type "${contentType ?? ''}" in request.` });
    const part = parts.find((candidate) => candidate.name === 'file');
    if (part === undefined || part.filename === undefined) throw invalid({ file: ['No file was submitted.'] });
    const name = path.basename(part.filename.replace(/\\/g, '/'));
    if (name === '') throw invalid({ file: ['The submitted file is empty.'] });
    const id = this.newId();
    const source = path.join(this.dir, id);
    writeFileSync(source, part.data);
    const hash = randomBytes(16).toString('hex');
    return this.describe(id, name, source, INPUT_FILE, `${this.userFolder}/${name}-${hash}`, name);
  }

  /** Every file under `workDir` becomes an output file of the job (copied, so that later runs cannot change it). */
  collectOutputs(jobId: string, workDir: string): StoredFile[] {
    return filesUnder(workDir).map((relative) => {
      const id = this.newId();
      const source = path.join(this.dir, id);
      copyFileSync(path.join(workDir, relative), source);
      const storagePath = `${this.userFolder}/output/job_${jobId}/run1/${relative}`;
      return this.describe(id, path.posix.basename(relative), source, OUTPUT_FILE, storagePath, relative);
    });
  }

  get(id: string): StoredFile {
    const file = this.files.get(id);
    if (!file) throw notFound();
    return file;
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  remove(id: string): void {
    const file = this.get(id);
    this.files.delete(id);
    this.order.splice(this.order.indexOf(id), 1);
    rmSync(file.source, { force: true });
  }

  /** Every file, newest first ([U] the order of GET files/). */
  all(): StoredFile[] {
    return [...this.order].reverse().map((id) => this.files.get(id)!);
  }
}
