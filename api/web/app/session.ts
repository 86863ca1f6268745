/** The signed-in token, as the page shell wrote it (api/web/pages.ts); the secret itself stays in the HttpOnly cookie. */
export interface Session {
  name: string;
  scopes: ('read' | 'admin')[];
  csrf: string;
}

export function readSession(): Session {
  const element = document.getElementById('session');
  if (!element?.textContent) throw new Error('the page has no session: reload it');
  return JSON.parse(element.textContent) as Session;
}

export const canAdmin = (s: Session) => s.scopes.includes('admin');
