import path from 'node:path';
import { Eta } from 'eta';
import { PATHS } from '../paths';
import type { MailContent } from './order-mail-content';

/** An e-mail's subject and both of its bodies. */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

// Escaping by default: names, addresses and tracking notes are typed by shoppers and admins.
const eta = new Eta({ views: path.join(PATHS.views, 'mail'), autoEscape: true, cache: true });

/** Renders composed content as a plain-text body and an HTML body (`server/views/mail/order-mail.eta`). */
export function renderMail(content: MailContent, storeName: string): RenderedMail {
  return {
    subject: content.subject,
    text: renderText(content, storeName),
    html: eta.render('./order-mail', { ...content, storeName }),
  };
}

function renderText(content: MailContent, storeName: string): string {
  const blocks: string[] = [content.heading, ...content.paragraphs];
  if (content.details.length > 0) blocks.push(content.details.map((d) => `${d.label}: ${d.value}`).join('\n'));
  if (content.summary) {
    const { summary } = content;
    const rows: [string, string][] = [
      ...summary.lines.map((l): [string, string] => [`${l.quantity} × ${l.name}`, l.total]),
      ['Subtotal', summary.subtotal],
      ...(summary.shipping ? [['Shipping', summary.shipping] as [string, string]] : []),
      ['Total', summary.total],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    blocks.push(rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n'));
  }
  if (content.address) blocks.push([`${content.address.label}:`, ...content.address.lines.map((l) => `  ${l}`)].join('\n'));
  blocks.push(`${content.link.label}: ${content.link.href}`, `— ${storeName}`);
  return `${blocks.join('\n\n')}\n`;
}
