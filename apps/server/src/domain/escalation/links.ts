/** Where operators open a chat session's read-only history in the console. */
export function consoleChatUrl(publicUrl: string, sessionId: string): string {
  return `${publicUrl}/admin/chats/${encodeURIComponent(sessionId)}`;
}

/** Where operators open an email ticket in the console. */
export function consoleTicketUrl(publicUrl: string, ticketId: number): string {
  return `${publicUrl}/admin/tickets/${ticketId}`;
}
