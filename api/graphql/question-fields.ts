import { QUESTION_NAMES, QUESTIONS } from '../services/questions.js';

/** A GraphQL description: a JSON string is a valid GraphQL string literal. */
const describe = (text: string) => JSON.stringify(text);

const PAGE_ARGS = [
  `${describe('Page size: 1 to 1000, 100 when omitted.')} first: Int`,
  `${describe("Continue after this cursor (a previous page's pageInfo.endCursor).")} after: String`,
];

/** The type a question answers with: a paged list is a connection of its items. */
export function answerType(name: (typeof QUESTION_NAMES)[number]): string {
  const q = QUESTIONS[name];
  return 'list' in q ? `${q.answer}Connection` : q.answer;
}

/** The `Cluster` fields, one per question of the table, with its parameters as arguments. */
export function questionFields(): string {
  return QUESTION_NAMES.map((name) => {
    const q = QUESTIONS[name];
    const args = Object.entries(q.params).map(
      ([arg, p]) => `${describe(p.description)} ${arg}: String${p.required ? '!' : ''}`,
    );
    if (q.paged) args.push(...PAGE_ARGS);
    return `    ${describe(q.summary)}\n    ${name}(\n${args.map((a) => `      ${a}`).join('\n')}\n    ): ${answerType(name)}!`;
  }).join('\n');
}
