if(location.search.length>1)document.documentElement.classList.add('pre-off');
