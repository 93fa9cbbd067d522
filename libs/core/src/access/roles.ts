/** What a caller may do; a key holds one or more roles. */
export const ROLES = ['emitter', 'helpdesk', 'reviewer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
