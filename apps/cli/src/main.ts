console.log('kode');
