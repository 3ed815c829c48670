import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A row of `note_shares` (migrations/1765300000001-create-note-shares.ts): one public link of a note. */
@Entity({ name: 'note_shares' })
export class NoteShareEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'note_id', type: 'bigint', unsigned: true })
  noteId!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  /** SHA-256 of the link's token; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'binary', length: 32 })
  tokenHash!: Buffer;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3, nullable: true })
  expiresAt!: Date | null;
}
