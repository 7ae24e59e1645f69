import { describe, expect, it } from 'vitest';
import { autoReplyReason, blockedBy, isOwnAddress, normaliseBlockPattern } from '../src/domain/inbound/loops.js';
import { messageIdsIn, normaliseMessageId, replyCandidates, ticketReferenceIn } from '../src/domain/inbound/threading.js';
import { trimReply } from '../src/domain/inbound/trim.js';

const headers = (values: Record<string, string>) => (name: string) => values[name] ?? null;

describe('threading a reply by its headers', () => {
  it('reads Message-IDs with or without angle brackets, and none from blanks', () => {
    expect(normaliseMessageId('<abc@example.com>')).toBe('abc@example.com');
    expect(normaliseMessageId(' abc@example.com ')).toBe('abc@example.com');
    expect(normaliseMessageId('')).toBeNull();
    expect(normaliseMessageId('two words')).toBeNull();
  });

  it('looks at In-Reply-To first, then References from the newest back, each once', () => {
    expect(replyCandidates('<c@x>', '<a@x> <b@x>\r\n <c@x>')).toEqual(['c@x', 'b@x', 'a@x']);
    expect(replyCandidates(null, ['<a@x>', '<b@x>'])).toEqual(['b@x', 'a@x']);
  });

  it('looks up at most 50 ids however long the References header is', () => {
    const long = Array.from({ length: 500 }, (_, i) => `<id${i}@x>`).join(' ');
    expect(replyCandidates(null, long)).toHaveLength(50);
    expect(messageIdsIn(long)).toHaveLength(500);
  });

  it('finds the ticket number in a subject, the last one when there are several', () => {
    expect(ticketReferenceIn('Re: Your request [#12]')).toBe(12);
    expect(ticketReferenceIn('Fwd: [#3] Re: [#45] order')).toBe(45);
    expect(ticketReferenceIn('Order #12 is late')).toBeNull();
    expect(ticketReferenceIn('[#0]')).toBeNull();
  });
});

describe('refusing loops and noise', () => {
  it('knows auto-replies by Auto-Submitted, X-Autoreply, Precedence and lists', () => {
    expect(autoReplyReason(headers({ 'auto-submitted': 'auto-replied' }), 'ana@example.com', null)).toMatch(/Auto-Submitted/);
    expect(autoReplyReason(headers({ 'auto-submitted': 'no' }), 'ana@example.com', null)).toBeNull();
    expect(autoReplyReason(headers({ 'x-autoreply': 'yes' }), 'ana@example.com', null)).toMatch(/x-autoreply/);
    expect(autoReplyReason(headers({ precedence: 'bulk' }), 'ana@example.com', null)).toMatch(/bulk/);
    expect(autoReplyReason(headers({ 'list-id': '<news.example.com>' }), 'ana@example.com', null)).toBe('mailing list');
    expect(autoReplyReason(headers({}), 'ana@example.com', 'text/plain')).toBeNull();
  });

  it('knows bounce reports by their type, their sender and an empty Return-Path', () => {
    expect(autoReplyReason(headers({}), 'ana@example.com', 'multipart/report; report-type=delivery-status')).toBe('delivery report');
    expect(autoReplyReason(headers({}), 'MAILER-DAEMON@mx.example.com', null)).toMatch(/mailer-daemon/);
    expect(autoReplyReason(headers({ 'return-path': '<>' }), 'ana@example.com', null)).toMatch(/bounce/);
  });

  it('knows our own address with or without a display name', () => {
    expect(isOwnAddress('support@shop.example', 'Shop Support <Support@Shop.example>')).toBe(true);
    expect(isOwnAddress('ana@shop.example', 'support@shop.example')).toBe(false);
  });

  it('blocks exact addresses and whole domains with their subdomains, and nothing else', () => {
    const list = ['spam@example.com', '@junk.example'];
    expect(blockedBy('Spam@example.com', list)).toBe('spam@example.com');
    expect(blockedBy('x@mail.junk.example', list)).toBe('@junk.example');
    expect(blockedBy('x@notjunk.example', list)).toBeNull();
    expect(blockedBy('ana@example.com', list)).toBeNull();
    expect(normaliseBlockPattern(' @Junk.Example ')).toBe('@junk.example');
    expect(normaliseBlockPattern('not an address')).toBeNull();
  });
});

describe('trimming a reply for the thread', () => {
  it('drops the quoted history under "On … wrote:", also wrapped over two lines', () => {
    expect(trimReply('Thanks, that worked!\n\nOn Mon, 30 Nov 2026 at 09:00, Support <support@shop.example> wrote:\n> Try again\n')).toBe(
      'Thanks, that worked!',
    );
    expect(trimReply('Still broken.\n\nOn Mon, 30 Nov 2026 at 09:00, Support\n<support@shop.example> wrote:\n> Try again')).toBe('Still broken.');
  });

  it("drops Outlook's original-message block and a signature", () => {
    expect(trimReply('See attached.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n')).toBe('See attached.');
    expect(trimReply('Here you go.\n\nFrom: Support <support@shop.example>\nSent: Monday, 30 November\nTo: Ana\n')).toBe('Here you go.');
    expect(trimReply('Order 1234 please.\n-- \nAna Lima\nACME Ltd')).toBe('Order 1234 please.');
    expect(trimReply('Yes.\n\nSent from my iPhone')).toBe('Yes.');
  });

  it('keeps a "From:" line that is part of what the customer wrote, and text between quotes', () => {
    expect(trimReply('From: the shop, I got two parcels.\nBoth broken.')).toBe('From: the shop, I got two parcels.\nBoth broken.');
    expect(trimReply('> you said\nI disagree.\n> and\nreally.')).toBe('> you said\nI disagree.\n> and\nreally.');
  });

  it('keeps the whole text when trimming would leave nothing', () => {
    expect(trimReply('> only a quote')).toBe('> only a quote');
  });
});
