import { describe, expect, it } from 'vitest';
import { redactSecretsBasic } from './redact.js';

// Built at run time so the repository itself holds no credential-shaped strings.
const repeat = (text: string, times: number): string => text.repeat(times);

describe('redactSecretsBasic', () => {
  it.each([
    ['OpenAI legacy key', `sk-${repeat('a1B2c3D4', 6)}`, 'secret/openai'],
    ['OpenAI project key', `sk-proj-${repeat('Ab3_-xY9', 12)}`, 'secret/openai'],
    ['Anthropic key', `sk-ant-api03-${repeat('Zq8_w-E1', 11)}`, 'secret/anthropic'],
    ['OpenRouter key', `sk-or-v1-${repeat('0f9e8d7c', 8)}`, 'secret/openrouter'],
    ['AWS access key id', `AKIA${repeat('ABCD2345', 2)}`, 'secret/aws'],
    ['AWS session key id', `ASIA${repeat('WXYZ6789', 2)}`, 'secret/aws'],
    ['GitHub personal token', `ghp_${repeat('aB1cD2eF3g', 4)}`, 'secret/github'],
    ['GitHub OAuth token', `gho_${repeat('aB1cD2eF3g', 4)}`, 'secret/github'],
    ['GitHub server token', `ghs_${repeat('aB1cD2eF3g', 4)}`, 'secret/github'],
    ['GitHub fine-grained token', `github_pat_${repeat('11ABCDEFG0', 3)}_${repeat('xyz123', 8)}`, 'secret/github'],
    ['Slack bot token', `xoxb-${repeat('1234567890', 2)}-${repeat('abcDEF', 4)}`, 'secret/slack'],
    ['Slack user token', `xoxp-${repeat('1234567890', 2)}-${repeat('abcDEF', 4)}`, 'secret/slack'],
    ['npm token', `npm_${repeat('a1b2c3d4e5f6', 3)}`, 'secret/npm'],
    ['Google API key', `AIza${repeat('Sy9_-aBcDe', 3)}12345`, 'secret/google'],
  ])('replaces a %s', (_name, secret, rule) => {
    expect(redactSecretsBasic(`before ${secret} after`)).toBe(`before [REDACTED:${rule}] after`);
    expect(redactSecretsBasic(`"${secret}"`)).toBe(`"[REDACTED:${rule}]"`);
  });

  it('replaces the credentials of a URL and keeps the scheme and host', () => {
    expect(redactSecretsBasic('git clone https://ana:s3cr3t-pass@git.example.com/acme.git')).toBe(
      'git clone https://[REDACTED:secret/basic-auth]@git.example.com/acme.git',
    );
    expect(redactSecretsBasic('postgres://app:pw%21x@db:5432/main')).toBe(
      'postgres://[REDACTED:secret/basic-auth]@db:5432/main',
    );
  });

  it('replaces a whole PEM private key block, and an unterminated one to the end', () => {
    const body = repeat('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n', 3);
    const block = `-----BEGIN RSA PRIVATE KEY-----\n${body}-----END RSA PRIVATE KEY-----`;
    expect(redactSecretsBasic(`key:\n${block}\ndone`)).toBe('key:\n[REDACTED:secret/private-key]\ndone');
    expect(redactSecretsBasic(`-----BEGIN PRIVATE KEY-----\n${body}`)).toBe('[REDACTED:secret/private-key]');
  });

  it('replaces an AWS secret access key assignment and keeps the name', () => {
    const value = repeat('wJalrXUtnFEMIK7MDENGbPxRfiCY', 2).slice(0, 40);
    expect(redactSecretsBasic(`aws_secret_access_key = ${value}`)).toBe(
      'aws_secret_access_key = [REDACTED:secret/aws]',
    );
  });

  it('leaves ordinary text alone', () => {
    const text =
      'imports: Import validation failed: sk-learn-compatible-estimators and https://example.com/path@v2 (src/a.ts:3:24)';
    expect(redactSecretsBasic(text)).toBe(text);
  });
});
