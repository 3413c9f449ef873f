// Each cluster test starts three store processes and HAProxy, and pushes traffic through them.
jest.setTimeout(120_000);
