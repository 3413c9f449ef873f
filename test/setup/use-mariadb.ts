process.env.PADLOCK_TEST_DB = 'mariadb';
