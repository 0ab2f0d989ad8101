import { z } from 'zod';
import { MUTATIONS } from './mutation-registry.ts';

type Registry = typeof MUTATIONS;
export type MutationName = keyof Registry;
export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];
/** Each mutation's argument schema, from the registry. */
export const MutationArgs = Object.fromEntries(MUTATION_NAMES.map((name) => [name, MUTATIONS[name].args])) as { [N in MutationName]: Registry[N]['args'] };
export type MutationArgsOf<N extends MutationName> = z.output<Registry[N]['args']>;

export const PushedMutation = z.object({
  id: z.number().int().positive(),
  name: z.enum(MUTATION_NAMES as [MutationName, ...MutationName[]]),
  args: z.unknown(),
});
export type PushedMutation = z.infer<typeof PushedMutation>;

export const PushRequest = z.object({
  clientId: z.string().min(8).max(64),
  mutations: z.array(PushedMutation).max(1000),
});
export type PushRequest = z.infer<typeof PushRequest>;
