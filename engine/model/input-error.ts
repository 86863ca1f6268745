import { describeSource, type SourceRef } from './source.js';

/**
 * Bad input, named precisely enough to fix: file, document, object and field.
 * The analysis goes on without the object unless the caller is strict.
 */
export class InputError extends Error {
  constructor(
    readonly source: SourceRef,
    /** `NetworkPolicy x/deny`, or empty when the document could not be read at all. */
    readonly object: string,
    /** A JSON path in the object, e.g. `spec.ingress[0].from[1].ipBlock.cidr`; empty if none. */
    readonly field: string,
    readonly reason: string,
  ) {
    const where = describeSource(source);
    const what = [object, field].filter(Boolean).join(' ');
    super(what ? `${where}: ${what}: ${reason}` : `${where}: ${reason}`);
    this.name = 'InputError';
  }
}
