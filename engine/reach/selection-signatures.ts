/**
 * Which of a list of selections (policies, selector groups) each pod class is in, interned:
 * classes in the same selections share one signature, whose list of selections exists once.
 * Selections are added in list order, each to its members, and a class moves from signature
 * to child signature (a trie): no array and no key string per class, of which there are tens
 * of thousands while distinct signatures are few.
 */
export class SelectionSignatures<T> {
  /** Class → its signature; 0 is "in none". */
  readonly ofClass: Int32Array;
  /** Signature → its selections, in list order. */
  readonly selections: T[][] = [[]];
  private readonly child = new Map<number, number>();

  constructor(
    classCount: number,
    /** More than the highest position a selection is added with. */
    private readonly positions: number,
  ) {
    this.ofClass = new Int32Array(classCount);
  }

  /** Adds the selection at `position` (ascending across calls) to `classes`. */
  add(position: number, selection: T, classes: Iterable<number>): void {
    for (const cls of classes) {
      const parent = this.ofClass[cls]!;
      const edge = parent * this.positions + position;
      let signature = this.child.get(edge);
      if (signature === undefined) {
        signature = this.selections.length;
        this.selections.push([...this.selections[parent]!, selection]);
        this.child.set(edge, signature);
      }
      this.ofClass[cls] = signature;
    }
  }
}
