/**
 * One bucket's objects on disk under the state directory: an index of every
 * key's versions (newest first) in `index.json`, and each version's bytes in
 * `data/`. Versioned buckets keep every version and delete markers; an
 * unversioned bucket keeps one `null` version per key, as S3 does.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ObjectVersion {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly size: number;
  /** The quoted ETag (MD5 of the bytes for a single-part upload). */
  readonly etag: string;
  readonly lastModified: string;
  readonly storageClass: string;
  readonly contentType?: string;
  /** content-disposition, content-encoding, cache-control, content-language, expires. */
  readonly headers: Readonly<Record<string, string>>;
  /** `x-amz-meta-*` user metadata, names lower-cased without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly serverSideEncryption?: string;
  readonly checksums: Readonly<Record<string, string>>;
}

export type NewObject = Omit<ObjectVersion, 'versionId' | 'deleteMarker' | 'size' | 'etag' | 'lastModified'>;

export interface DeleteOutcome {
  /** What the delete did: a marker on top, a version removed, or nothing (an unknown version is not an error). */
  readonly kind: 'marker' | 'permanent' | 'none';
  readonly versionId?: string;
  /** The removed version (or the new marker) was a delete marker. */
  readonly deleteMarker: boolean;
}

/** 32 URL-safe characters, the shape of S3 version IDs. */
function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

export class BucketStore {
  private readonly index: Record<string, ObjectVersion[]>;
  private readonly indexFile: string;
  private readonly dataDir: string;

  constructor(
    dir: string,
    readonly versioned: boolean,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.indexFile = path.join(dir, 'index.json');
    this.dataDir = path.join(dir, 'data');
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.index = fs.existsSync(this.indexFile) ? JSON.parse(fs.readFileSync(this.indexFile, 'utf8')) : {};
  }

  /** Every version of `key`, newest first (delete markers included). */
  versions(key: string): readonly ObjectVersion[] {
    return this.index[key] ?? [];
  }

  /** The current version, or undefined when there is none or it is a delete marker. */
  current(key: string): ObjectVersion | undefined {
    const top = this.versions(key)[0];
    return top && !top.deleteMarker ? top : undefined;
  }

  version(key: string, versionId: string): ObjectVersion | undefined {
    return this.versions(key).find((v) => v.versionId === versionId);
  }

  read(key: string, version: ObjectVersion): Buffer {
    return fs.readFileSync(this.dataFile(key, version.versionId));
  }

  put(key: string, body: Buffer, attributes: NewObject): ObjectVersion {
    const version: ObjectVersion = {
      ...attributes,
      versionId: this.versioned ? newVersionId() : 'null',
      deleteMarker: false,
      size: body.length,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: this.timestamp(),
    };
    fs.mkdirSync(path.dirname(this.dataFile(key, version.versionId)), { recursive: true });
    fs.writeFileSync(this.dataFile(key, version.versionId), body);
    const rest = this.versions(key).filter((v) => v.versionId !== version.versionId);
    this.index[key] = [version, ...rest];
    this.save();
    return version;
  }

  /** DeleteObject: a delete marker on a versioned bucket, a removal otherwise; with `versionId`, that version goes for good. */
  delete(key: string, versionId?: string): DeleteOutcome {
    const versions = [...this.versions(key)];
    if (versionId !== undefined) {
      const found = versions.find((v) => v.versionId === versionId);
      if (!found) return { kind: 'none', versionId, deleteMarker: false };
      this.index[key] = versions.filter((v) => v !== found);
      this.removeData(key, found);
      if (this.index[key].length === 0) delete this.index[key];
      this.save();
      return { kind: 'permanent', versionId, deleteMarker: found.deleteMarker };
    }
    if (!this.versioned) {
      const existing = versions.find((v) => v.versionId === 'null');
      if (!existing) return { kind: 'none', deleteMarker: false };
      this.removeData(key, existing);
      delete this.index[key];
      this.save();
      return { kind: 'permanent', versionId: 'null', deleteMarker: false };
    }
    const marker: ObjectVersion = {
      versionId: newVersionId(),
      deleteMarker: true,
      size: 0,
      etag: '',
      lastModified: this.timestamp(),
      storageClass: 'STANDARD',
      headers: {},
      metadata: {},
      checksums: {},
    };
    this.index[key] = [marker, ...versions];
    this.save();
    return { kind: 'marker', versionId: marker.versionId, deleteMarker: true };
  }

  /** Every key with any version, in UTF-8 binary order as S3 lists them. */
  keys(): string[] {
    return Object.keys(this.index).sort(compareKeys);
  }

  private timestamp(): string {
    // S3 reports milliseconds as .000 in listings; keep what the clock says.
    return this.now().toISOString();
  }

  private dataFile(key: string, versionId: string): string {
    const folder = createHash('sha256').update(key).digest('hex');
    return path.join(this.dataDir, folder.slice(0, 2), folder, versionId === 'null' ? '_null' : versionId);
  }

  private removeData(key: string, version: ObjectVersion): void {
    if (!version.deleteMarker) fs.rmSync(this.dataFile(key, version.versionId), { force: true });
  }

  private save(): void {
    const temp = `${this.indexFile}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.index));
    fs.renameSync(temp, this.indexFile);
  }
}

/** S3 orders keys by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
