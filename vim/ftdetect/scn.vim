" mmsim scenario files (mmsim-scenario(5))
autocmd BufNewFile,BufRead *.scn setfiletype scn
