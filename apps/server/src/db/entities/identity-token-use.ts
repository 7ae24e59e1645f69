import { EntitySchema } from '@mikro-orm/sqlite';

/**
 * A signed identity already accepted: the SHA-256 of the token, kept until the token would
 * have expired anyway, so the same token is refused a second time on any server process.
 */
export class IdentityTokenUse {
  tokenHash!: string;
  expiresAt!: Date;
}

export const IdentityTokenUseSchema = new EntitySchema<IdentityTokenUse>({
  class: IdentityTokenUse,
  tableName: 'identity_token_use',
  properties: {
    tokenHash: { type: 'text', primary: true },
    expiresAt: { type: 'Date', index: true },
  },
});
