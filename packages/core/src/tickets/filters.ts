import { z } from 'zod';
import { TicketPriority } from './priority.ts';
import { TicketStatus } from './status.ts';

/** Comma-separated values in a query string ("open,pending") become an array. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .optional()
    .transform((raw) => (raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .pipe(z.array(item));

/** `assignee` accepts agent ids, `me` and `none`. */
export const TicketListQuery = z.object({
  status: commaList(TicketStatus),
  priority: commaList(TicketPriority),
  assignee: commaList(z.string().min(1)),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type TicketListQuery = z.output<typeof TicketListQuery>;

export interface TicketFilter {
  statuses: TicketStatus[];
  priorities: TicketPriority[];
  /** Agent ids, plus `none` for unassigned. `me` is resolved by the caller. */
  assignees: string[];
  text: string;
}
