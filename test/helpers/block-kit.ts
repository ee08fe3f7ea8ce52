/** Slack's published Block Kit limits (see PLATFORM-FACTS.md). */
export const LIMITS = {
  messageBlocks: 50, modalBlocks: 100, sectionText: 3000, sectionFields: 10, fieldText: 2000, headerText: 150,
  actionsElements: 25, buttonText: 75, buttonValue: 2000, id: 255, modalTitle: 24, modalButton: 24, privateMetadata: 3000,
} as const;

/** Problems with a Block Kit message or modal against Slack's limits. */
export function blockKitProblems(payload: { blocks: any[] } & Record<string, any>, kind: 'message' | 'modal'): string[] {
  const p: string[] = [];
  const max = kind === 'modal' ? LIMITS.modalBlocks : LIMITS.messageBlocks;
  if (payload.blocks.length > max) p.push(`${payload.blocks.length} blocks > ${max}`);
  if (kind === 'modal') {
    if ((payload.title?.text ?? '').length > LIMITS.modalTitle) p.push('modal title too long');
    if ((payload.submit?.text ?? '').length > LIMITS.modalButton) p.push('modal submit too long');
    if ((payload.close?.text ?? '').length > LIMITS.modalButton) p.push('modal close too long');
    if ((payload.private_metadata ?? '').length > LIMITS.privateMetadata) p.push('private_metadata too long');
  }
  const blockIds = new Set<string>();
  for (const b of payload.blocks) {
    if (b.block_id) {
      if (b.block_id.length > LIMITS.id) p.push(`block_id too long: ${b.block_id}`);
      if (blockIds.has(b.block_id)) p.push(`duplicate block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    if (b.type === 'header' && b.text.text.length > LIMITS.headerText) p.push('header text too long');
    if (b.type === 'header' && b.text.type !== 'plain_text') p.push('header must be plain_text');
    if (b.type === 'section') {
      if (b.text && b.text.text.length > LIMITS.sectionText) p.push('section text too long');
      if (b.fields && b.fields.length > LIMITS.sectionFields) p.push('too many section fields');
      for (const f of b.fields ?? []) if (f.text.length > LIMITS.fieldText) p.push('section field too long');
    }
    if (b.type === 'actions') {
      if (b.elements.length > LIMITS.actionsElements) p.push('too many action elements');
      for (const e of b.elements) {
        if (e.text?.text?.length > LIMITS.buttonText) p.push('button text too long');
        if ((e.value ?? '').length > LIMITS.buttonValue) p.push('button value too long');
        if ((e.action_id ?? '').length > LIMITS.id) p.push('action_id too long');
      }
    }
    if (b.type === 'input' && (b.element?.action_id ?? '').length > LIMITS.id) p.push('input action_id too long');
    if (b.type === 'input' && kind !== 'modal') p.push('input blocks belong in modals');
    // An image is an https image_url or a slack_file (by id or url, not both), with alt_text.
    const file = b.slack_file as { id?: string; url?: string } | undefined;
    const source = file ? !!file.id !== !!file.url && !b.image_url : /^https:\/\//.test(b.image_url ?? '') && (b.image_url ?? '').length <= 3000;
    if (b.type === 'image' && (!source || !b.alt_text || b.alt_text.length > 2000)) p.push('image block needs an https image_url (at most 3000) or a slack_file, and alt_text (at most 2000)');
    if (!['header', 'section', 'divider', 'actions', 'context', 'rich_text', 'input', 'image'].includes(b.type)) p.push(`unexpected block type ${b.type}`);
  }
  return p;
}
