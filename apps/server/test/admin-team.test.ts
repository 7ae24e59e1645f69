import { describe, expect, it } from 'vitest';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { freshHarnessPerTest, rejection, type Harness } from './support/harness.js';

let h: Harness;
freshHarnessPerTest((harness) => {
  h = harness;
});

describe('the team', () => {
  it('lists every operator with role, availability, capacity and open + pending load', async () => {
    const owner = await h.operator('owner', { name: 'Olga' });
    const member = await h.operator('member', { name: 'Max' });
    const em = h.orm.em.fork();
    for (const status of ['open', 'pending', 'resolved'] as const) {
      const t = await createEmailTicket(em, h.services, { subject: status, requesterEmail: 'c@example.com', assignee: member.operator });
      t.status = status;
    }
    await em.flush();
    const team = await member.caller.admin.team.list();
    expect(team.map((m) => [m.name, m.role, m.availability, m.capacity, m.openTickets])).toEqual([
      ['Olga', 'owner', 'available', 5, 0],
      ['Max', 'member', 'available', 5, 2],
    ]);
    expect(JSON.stringify(team)).not.toContain('scrypt');
    expect(owner).toBeTruthy();
  });

  it('an admin adds a member, who can sign in with the generated password shown once', async () => {
    const admin = await h.operator('admin');
    const { operator, generatedPassword } = await admin.caller.admin.team.create({ email: 'New@Example.com', name: 'Nia' });
    expect(operator).toMatchObject({ email: 'new@example.com', role: 'member', capacity: 5, availability: 'available' });
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    const signedIn = await h.console().admin.auth.signIn({ email: 'new@example.com', password: generatedPassword! });
    expect(signedIn.operator.id).toBe(operator.id);
  });

  it('a chosen password is not echoed back', async () => {
    const admin = await h.operator('admin');
    const created = await admin.caller.admin.team.create({ email: 'p@example.com', name: 'P', password: 'chosen by the admin' });
    expect(created.generatedPassword).toBeNull();
  });

  it('refuses a second operator with the same email', async () => {
    const admin = await h.operator('admin');
    await admin.caller.admin.team.create({ email: 'dup@example.com', name: 'One' });
    expect((await rejection(admin.caller.admin.team.create({ email: 'DUP@example.com', name: 'Two' }))).code).toBe('CONFLICT');
  });

  it('admins manage members only; owners manage admins and owners too', async () => {
    const admin = await h.operator('admin');
    const owner = await h.operator('owner');
    const member = await h.operator('member');
    const otherAdmin = await h.operator('admin');

    expect((await rejection(admin.caller.admin.team.create({ email: 'a2@example.com', name: 'A', role: 'admin' }))).code).toBe('FORBIDDEN');
    expect((await rejection(admin.caller.admin.team.update({ id: member.operator.id, role: 'admin' }))).code).toBe('FORBIDDEN');
    expect((await rejection(admin.caller.admin.team.update({ id: otherAdmin.operator.id, capacity: 1 }))).code).toBe('FORBIDDEN');
    expect(await admin.caller.admin.team.update({ id: member.operator.id, capacity: 0, availability: 'away' })).toMatchObject({
      capacity: 0,
      availability: 'away',
    });

    expect((await owner.caller.admin.team.update({ id: member.operator.id, role: 'admin' })).role).toBe('admin');
    expect((await owner.caller.admin.team.update({ id: otherAdmin.operator.id, role: 'member' })).role).toBe('member');
    expect((await owner.caller.admin.team.create({ email: 'o2@example.com', name: 'O', role: 'owner' })).operator.role).toBe('owner');
  });

  it('nobody raises their own role, and the last owner cannot step down', async () => {
    const admin = await h.operator('admin');
    const owner = await h.operator('owner');
    expect((await rejection(admin.caller.admin.team.update({ id: admin.operator.id, role: 'owner' }))).code).toBe('FORBIDDEN');
    const last = await rejection(owner.caller.admin.team.update({ id: owner.operator.id, role: 'admin' }));
    expect(last.code).toBe('CONFLICT');
    expect(last.message).toContain('always be an owner');
  });

  it('a demoted admin loses admin procedures on the next request', async () => {
    const owner = await h.operator('owner');
    const admin = await h.operator('admin');
    await admin.caller.admin.settings.get();
    await owner.caller.admin.team.update({ id: admin.operator.id, role: 'member' });
    expect((await rejection(admin.caller.admin.settings.get())).code).toBe('FORBIDDEN');
  });

  it('any operator sets their own availability', async () => {
    const member = await h.operator('member');
    expect((await member.caller.admin.auth.setAvailability({ availability: 'away' })).availability).toBe('away');
    const team = await member.caller.admin.team.list();
    expect(team.find((m) => m.id === member.operator.id)?.availability).toBe('away');
  });
});
