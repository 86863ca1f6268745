import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export const MAX_DEPTH = 8;

/** Introspection (`__schema`, `__type`) is as deep as the type system, not as our data: not counted. */
const isIntrospection = (name: string) => name === '__schema' || name === '__type';

function depthOf(set: SelectionSetNode, context: ValidationContext, fragments: ReadonlySet<string>): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth: number;
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection.name.value)) continue;
      depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet, context, fragments) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, context, fragments);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      // A cycle is reported by NoFragmentCyclesRule; here it only must not loop.
      if (!fragment || fragments.has(name)) continue;
      depth = depthOf(fragment.selectionSet, context, new Set([...fragments, name]));
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** Refuses operations whose fields nest deeper than `max` (fragments followed, introspection aside). */
export function depthLimit(max: number = MAX_DEPTH): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, context, new Set());
      if (depth > max) {
        context.reportError(
          new GraphQLError(
            `operation ${node.name?.value ?? '(anonymous)'} is ${depth} fields deep; the limit is ${max}`,
            {
              nodes: [node],
              extensions: { limit: 'depth', max, actual: depth },
            },
          ),
        );
      }
    },
  });
}
