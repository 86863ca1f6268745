import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  typeFromAST,
  type ASTVisitor,
  type GraphQLCompositeType,
  type GraphQLField,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../services/page.js';

export const COST_BUDGET = 50_000;

export interface CostOptions {
  /** Items assumed for a paged field without `first` (the service's default page). */
  defaultFirst: number;
  /** Items assumed for `first: $variable`: validation runs before variables are known. */
  variableFirst: number;
  /** Items assumed for a plain list (ports, causes, variants). */
  listSize: number;
}

const DEFAULTS: CostOptions = { defaultFirst: DEFAULT_LIMIT, variableFirst: MAX_LIMIT, listSize: 5 };

const isConnection = (type: GraphQLCompositeType) => type.name.endsWith('Connection');

/**
 * Every field costs 1 per time it is resolved. A field's `first` multiplies the connection it
 * pages (itself, or the connection below it when it returns an answer holding one, as
 * whoCanReach does); other lists multiply by `listSize`; a connection's `edges` are already
 * counted by its `first`.
 */
function costOf(
  set: SelectionSetNode,
  parent: GraphQLCompositeType,
  multiplier: number,
  pendingFirst: number | undefined,
  context: ValidationContext,
  options: CostOptions,
  fragments: ReadonlySet<string>,
): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? context.getFragment(selection.name.value) : selection;
      if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && fragments.has(selection.name.value))) continue;
      const condition = fragment.typeCondition ? typeFromAST(context.getSchema(), fragment.typeCondition) : parent;
      const inner = condition && isCompositeType(condition) ? condition : parent;
      const seen = selection.kind === Kind.FRAGMENT_SPREAD ? new Set([...fragments, selection.name.value]) : fragments;
      total += costOf(fragment.selectionSet, inner, multiplier, pendingFirst, context, options, seen);
      continue;
    }
    const name = selection.name.value;
    if (name.startsWith('__')) continue;
    if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
    const field: GraphQLField<unknown, unknown> | undefined = parent.getFields()[name];
    if (!field) continue;
    total += multiplier;
    const type = getNamedType(field.type);
    if (!selection.selectionSet || !isCompositeType(type)) continue;

    let first = pendingFirst;
    if (field.args.some((a) => a.name === 'first')) {
      const arg = selection.arguments?.find((a) => a.name.value === 'first');
      first =
        arg === undefined || arg.value.kind === Kind.NULL
          ? options.defaultFirst
          : arg.value.kind === Kind.INT
            ? Math.max(0, Number(arg.value.value))
            : options.variableFirst;
    }
    let childMultiplier = multiplier;
    let childPending = first;
    if (isConnection(type) && first !== undefined) {
      childMultiplier *= first;
      childPending = undefined;
    } else if (isListType(getNullableType(field.type)) && !(name === 'edges' && isConnection(parent))) {
      childMultiplier *= options.listSize;
    }
    total += costOf(selection.selectionSet, type, childMultiplier, childPending, context, options, fragments);
  }
  return total;
}

/** Refuses operations whose estimated cost (fields × list sizes from `first`) exceeds `budget`. */
export function costLimit(budget: number = COST_BUDGET, options: Partial<CostOptions> = {}): ValidationRule {
  const opts = { ...DEFAULTS, ...options };
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const root =
        node.operation === 'query'
          ? context.getSchema().getQueryType()
          : node.operation === 'mutation'
            ? context.getSchema().getMutationType()
            : context.getSchema().getSubscriptionType();
      if (!root) return;
      const cost = costOf(node.selectionSet, root, 1, undefined, context, opts, new Set());
      if (cost > budget) {
        context.reportError(
          new GraphQLError(
            `operation ${node.name?.value ?? '(anonymous)'} would cost about ${cost}; the budget is ${budget} (lower first, or ask for fewer fields)`,
            { nodes: [node], extensions: { limit: 'cost', max: budget, actual: cost } },
          ),
        );
      }
    },
  });
}
