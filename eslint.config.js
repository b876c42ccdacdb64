import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'native/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core must not read clocks or randomness (DESIGN.md: state machine as values).
    files: ['src/packet/**', 'src/vrrp/**', 'src/config/**', 'src/uplink/**', 'src/bfd/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'pure core: take `now` as an argument' },
        { object: 'Math', property: 'random', message: 'pure core: no randomness' },
        { object: 'process', property: 'hrtime', message: 'pure core: take `now` as an argument' },
      ],
      // Files, processes, sockets and the host are the shell's (src/daemon, src/cli, src/kernel…);
      // the core gets what they hold through interfaces such as config's ConfigFileSource.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'fs',
            'node:fs',
            'fs/promises',
            'node:fs/promises',
            'os',
            'node:os',
            'child_process',
            'node:child_process',
            'dgram',
            'node:dgram',
          ]
            .map((name) => ({ name, message: 'pure core: no I/O; the shell passes what it reads' }))
            // node:net's address parsers are pure functions; its sockets are not.
            .concat(
              ['net', 'node:net'].map((name) => ({
                name,
                allowImportNames: ['isIP', 'isIPv4', 'isIPv6'],
                message: 'pure core: only the address parsers of node:net',
              })),
            ),
        },
      ],
    },
  },
);
