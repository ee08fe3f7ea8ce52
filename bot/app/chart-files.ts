import { readFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CardImages } from './gateway.ts';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Surge charts kept under DATA_DIR/charts by the SHA-256 of the full-size
 * PNG: `<sha>.png` (served at /surge-charts/<sha>.png, uploaded to Slack)
 * and `<sha>.card.png`, the small one that travels inside a Teams card.
 * Files are written whole (to a temporary name, then renamed), so a reader
 * never sees half a chart.
 */
export class ChartFiles implements CardImages {
  constructor(private readonly dataDir: string) {}

  /** Path of the full-size chart, by its hash; nothing for a name that is not one. */
  path(sha256: string, variant: 'full' | 'card' = 'full'): string | undefined {
    return SHA256.test(sha256) ? join(this.dataDir, 'charts', `${sha256}${variant === 'card' ? '.card' : ''}.png`) : undefined;
  }

  async keep(sha256: string, full: Buffer, card: Buffer): Promise<void> {
    await mkdir(join(this.dataDir, 'charts'), { recursive: true, mode: 0o700 });
    for (const [variant, png] of [['full', full], ['card', card]] as const) {
      const path = this.path(sha256, variant)!;
      await writeFile(`${path}.tmp`, png, { mode: 0o600 });
      await rename(`${path}.tmp`, path);
    }
  }

  /** Whether both files of a chart are kept. */
  async has(sha256: string): Promise<boolean> {
    return !!(await this.full(sha256)) && !!(await this.small(sha256));
  }

  full(sha256: string): Promise<Buffer | undefined> {
    return this.read(this.path(sha256, 'full'));
  }

  small(sha256: string): Promise<Buffer | undefined> {
    return this.read(this.path(sha256, 'card'));
  }

  private async read(path: string | undefined): Promise<Buffer | undefined> {
    return path ? readFile(path).catch(() => undefined) : undefined;
  }
}
