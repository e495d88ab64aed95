/**
 * Secrets: whatever lets someone else in. Private-key blocks, JWTs, bearer
 * tokens, the API keys of the common providers (each by its documented
 * prefix and length), and the value written after a password label in the
 * four languages and their kin ("password:", "jelszó:", "parola:",
 * "kata sandi:", "PIN:"…). The label stays, the value becomes
 * `[secret removed]`, so the agent still reads that a password was given.
 *
 * A label needs ":" or "=" (or "is"/"este"/"adalah" before a quoted value):
 * "reset your password" or "the password is wrong" are not secrets.
 */
import { SECRET_REMOVED, type RedactionLabel, type Span } from './span';

interface SecretPattern {
  label: RedactionLabel;
  pattern: RegExp;
  /** The capture group that holds the secret itself (default: the whole match). */
  group?: number;
  /** The match must not follow a letter or digit. */
  isWholeWord?: boolean;
}

/**
 * The words a password is given after. A whole word: the letter before is
 * checked in findSecrets, not by a lookbehind, which made the scan of a long
 * text several times slower.
 */
const PASSWORD_LABEL =
  '(?:passwords?|passwd|pwd|pass(?:code|phrase|word)|pin(?: code)?|pin[- ]?k[oó]d|jelsz(?:[oó]|av)\\p{L}*|parol[aăe]\\p{L}*|kata ?sandi\\p{L}*|sandi\\p{L}*|kata laluan|kode pin|contrase[nñ]a|mot de passe|passwort|kennwort|пароль)(?![\\p{L}\\p{N}])';

// Each provider's prefix is the one its docs give for the key kind; lengths are its documented minimum.
const PATTERNS: SecretPattern[] = [
  { label: 'privateKey', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  // header.payload.signature, both JSON parts base64url of '{"'.
  { label: 'token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g },
  { label: 'token', pattern: /\b(?:Bearer|Token)\s+([A-Za-z0-9\-._~+/]{20,}=*)/g, group: 1 },
  // AWS access key ids and the secret key given with one.
  { label: 'apiKey', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { label: 'apiKey', pattern: /\baws_secret_access_key\s*[=:]\s*["']?([A-Za-z0-9/+=]{40})\b/gi, group: 1 },
  // Google API keys and OAuth client secrets.
  { label: 'apiKey', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { label: 'apiKey', pattern: /\bGOCSPX-[A-Za-z0-9_-]{28}(?![0-9A-Za-z_-])/g },
  // GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained PATs.
  { label: 'token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g },
  { label: 'token', pattern: /\bgithub_pat_[A-Za-z0-9_]{60,255}\b/g },
  { label: 'token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g },
  // Stripe secret and restricted keys, webhook secrets (publishable pk_ keys are public by design).
  { label: 'apiKey', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,255}\b/g },
  { label: 'apiKey', pattern: /\bwhsec_[A-Za-z0-9]{24,}\b/g },
  // Slack tokens and incoming-webhook URLs.
  { label: 'token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g },
  { label: 'token', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/g },
  // OpenAI and Anthropic, SendGrid, npm, Twilio API key sids with their secret.
  { label: 'apiKey', pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g },
  { label: 'apiKey', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { label: 'token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { label: 'apiKey', pattern: /\bSK[0-9a-f]{32}\b/g },
  // Passwords by their label: English and its kin, Hungarian, Romanian, Indonesian/Malay.
  { label: 'password', pattern: new RegExp(`${PASSWORD_LABEL}[ \\t]*(?:(?:is|este|adalah|ini)[ \\t]*)?[:=：][ \\t]*(\\S+)`, 'giu'), group: 1, isWholeWord: true },
  { label: 'password', pattern: new RegExp(`${PASSWORD_LABEL}[ \\t]+(?:is|este|adalah|ini)[ \\t]+["'„«“]([^\\s"'”»“]+)["'”»“]`, 'giu'), group: 1, isWholeWord: true },
];

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Where each secret is; for a labelled password or a bearer token, the value only. */
export function findSecrets(text: string): Span[] {
  const spans: Span[] = [];
  for (const { label, pattern, group, isWholeWord } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (isWholeWord && match.index > 0 && LETTER_OR_DIGIT.test(text[match.index - 1]!)) continue;
      const value = group ? match[group] : match[0];
      if (!value) continue;
      const start = group ? match.index + match[0].lastIndexOf(value) : match.index;
      // Masking twice changes nothing: a value already removed is not a secret.
      if (text.startsWith(SECRET_REMOVED, start)) continue;
      spans.push({ kind: 'secret', label, start, end: start + value.length, masked: SECRET_REMOVED });
    }
  }
  return spans;
}
