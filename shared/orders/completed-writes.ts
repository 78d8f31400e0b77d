/**
 * Write-ahead records this process has already seen completed. A pending
 * reservation or posting, once its document exists, stays complete forever
 * (those documents are never deleted), so remembering that saves a create-409
 * round trip on every later read of the same hot document. Bounded: when full
 * it starts again, which only costs the round trips this saves.
 */
const MAX_REMEMBERED = 10_000;

export class CompletedWrites {
  private readonly ids = new Set<string>();
  has(id: string): boolean {
    return this.ids.has(id);
  }
  delete(id: string): void {
    this.ids.delete(id);
  }
  add(id: string): void {
    if (this.ids.size >= MAX_REMEMBERED) this.ids.clear();
    this.ids.add(id);
  }
}

/** One per process: the facts it holds are true for every store. */
export const completedWrites = new CompletedWrites();
