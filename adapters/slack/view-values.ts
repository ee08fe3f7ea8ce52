/** One input's state in a view submission, for the element types Bluedesk uses. */
interface InputState {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: Array<{ value?: string }> | null;
}

/**
 * Flattens `view.state.values[block_id][action_id]` into field id → string.
 * Bluedesk uses the field id as both block and action id.
 */
export function viewValues(values: Record<string, Record<string, InputState>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values ?? {})) {
    const state = actions?.[blockId];
    if (!state) continue;
    const v = state.selected_options ? state.selected_options.map((o) => o.value).join(',') : (state.selected_option?.value ?? state.value);
    if (typeof v === 'string') out[blockId] = v;
  }
  return out;
}
