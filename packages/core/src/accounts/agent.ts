import { z } from 'zod';

export const ROLES = ['agent', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** An agent's public fields: what other agents may see. Never the password hash. */
export const Agent = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: Role,
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agent = z.infer<typeof Agent>;

export const PASSWORD_MIN = 8;
export const Password = z.string().min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`).max(200);

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid e-mail address.')),
  password: z.string().min(1, 'Enter your password.').max(200),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const AgentInput = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid e-mail address.')),
  role: Role.default('agent'),
  /** Without a password the server answers a one-time set-password link. */
  password: Password.optional(),
});
export type AgentInput = z.output<typeof AgentInput>;

export const AgentPatch = z.object({
  name: AgentInput.shape.name.optional(),
  email: AgentInput.shape.email.optional(),
  role: Role.optional(),
  active: z.boolean().optional(),
  password: Password.optional(),
});
export type AgentPatch = z.output<typeof AgentPatch>;

export const SetPasswordInput = z.object({ token: z.string().min(10), password: Password });
